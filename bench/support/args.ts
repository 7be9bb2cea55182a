/** Command-line flags of the benchmark scripts: `--quick` for a short smoke run, `--name value` for numbers. */

/** True when `--quick` was given: every benchmark then runs a few seconds instead of its full length. */
export const quick = process.argv.includes('--quick');

/** The number after `--name`, or `fallback` when it is absent or not a positive number. */
export function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** The repository root, for spawning `npm start` and the benchmark's helpers with the right cwd. */
export const root = new URL('../../', import.meta.url).pathname;

/** Milliseconds as a short readable figure: "3.2 ms", "1.45 s". */
export function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
