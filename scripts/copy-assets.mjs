// Part of `npm run build`: tsc compiles the TypeScript to dist/; the Lua scripts the Redis steps load at start
// (src/infra/redis/lua-scripts.ts reads them beside the module that uses them) are copied to the same places.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the build went: dist/ unless given (`node scripts/copy-assets.mjs <out>`, for a build elsewhere). */
const out = process.argv[2] ? join(root, process.argv[2]) : join(root, 'dist');
let copied = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.lua')) {
      const to = join(out, relative(root, path));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(path, to);
      copied++;
    }
  }
};
for (const dir of ['src', 'jobs']) walk(join(root, dir));
if (copied === 0) throw new Error('no Lua scripts found to copy');
