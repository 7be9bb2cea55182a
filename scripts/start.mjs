// `npm start`, `npm run web`, `npm run worker` (and `npm run verify-audit`): run lv-bot from its compiled JavaScript in dist/ (Node alone,
// no TypeScript loader), compiling first when a source file is newer than the last build. A production image
// builds once and runs `node dist/app/main.js` directly; this step is for a machine that has the sources.
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['app', 'src', 'adapters', 'jobs', 'messages', 'scripts'];
const stamp = join(root, 'dist', '.tsbuildinfo');

/** The newest modification time of the files the build reads (TypeScript, Lua, the build's own config). */
function newestSource() {
  let newest = Math.max(statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'tsconfig.build.json')).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|lua)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

if (!existsSync(stamp) || statSync(stamp).mtimeMs < newestSource()) {
  process.stderr.write('lv-bot: compiling (npm run build)…\n');
  const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
// Node 22.1+ keeps the compiled code of every module on disk, so the second start skips compiling them (Node 20 has no
// such cache and starts as before). LV_COMPILE_CACHE=off turns it off; NODE_COMPILE_CACHE names another folder.
if (process.env.LV_COMPILE_CACHE !== 'off') module.enableCompileCache?.();
// `--script <name>` runs one of the operator scripts (dist/scripts/<name>.js) instead of the bot.
const at = process.argv.indexOf('--script');
const entry = at >= 0 ? join('scripts', `${process.argv[at + 1]}.js`) : join('app', 'main.js');
if (at >= 0) process.argv.splice(at, 2);
await import(pathToFileURL(join(root, 'dist', entry)).href);
