import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** A build of its own, beside dist/, so the test neither needs nor disturbs the developer's build. */
const OUT = '.build-test';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Every bare module specifier the compiled files import. */
function importedPackages(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'".][^'"]*)['"]/g)) {
          const spec = m[1]!;
          found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
        }
      }
    }
  };
  walk(dir);
  return found;
}

afterAll(() => rmSync(join(root, OUT), { recursive: true, force: true }));

describe('the production build (npm run build: node runs dist/, no TypeScript loader)', () => {
  it('compiles, copies the Lua scripts, imports only dependencies, and runs the console from compiled JavaScript', async () => {
    const tsc = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        OUT,
        '--incremental',
        'false',
        '--tsBuildInfoFile',
        'null',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const copy = spawnSync(process.execPath, ['scripts/copy-assets.mjs', OUT], { cwd: root, encoding: 'utf8' });
    expect(copy.status, copy.stderr).toBe(0);
    expect(readdirSync(join(root, OUT, 'jobs/lua')).length).toBeGreaterThan(0);

    // What runs in production may import only runtime dependencies (a production install has no devDependencies).
    const imported = [...importedPackages(join(root, OUT))].filter((p) => !p.startsWith('node:'));
    const runtime = new Set(Object.keys(pkg.dependencies));
    expect(imported.filter((p) => !runtime.has(p))).toEqual([]);
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');

    const child = spawn(process.execPath, [join(OUT, 'app/main.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        REDIS_URL: inject('redisUrl'),
        LV_REDIS_PREFIX: `t${randomUUID()}`,
        LV_DAILY_PLAN: 'off',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('project new Built\nhelp\n');
    expect(await closed).toBe(0);
    expect(out).toContain('Built');
    expect(out).toContain('lv> help');
  }, 60_000);
});
