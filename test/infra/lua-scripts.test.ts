import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLua } from '../../src/infra/redis/lua-scripts.js';

/** The Lua loader: scripts come from .lua files next to their module, with shared snippets included. */
describe('loadLua', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lv-lua-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = pathToFileURL(join(dir, 'module.ts'));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it('replaces each --!include line by the named snippet, relative to the including file, nested', () => {
    write('inner.lua', 'local b = 2\n');
    write('outer.lua', '-- the outer snippet\nlocal a = 1\n--!include inner.lua\n');
    write('main.lua', '--!include outer.lua\nreturn a + b\n');
    expect(loadLua(base, 'main.lua')).toBe('-- the outer snippet\nlocal a = 1\nlocal b = 2\nreturn a + b\n');
  });

  it('refuses an include cycle instead of looping', () => {
    write('a.lua', '--!include b.lua\n');
    write('b.lua', '--!include a.lua\n');
    expect(() => loadLua(base, 'a.lua')).toThrow(/include cycle/);
  });

  it('the limiter scripts share the hold wait loop: no include is left in what is sent to Redis', () => {
    const jobs = new URL('../../jobs/conversation-limiter.ts', import.meta.url);
    for (const file of ['lua/rate-acquire.lua', 'lua/rate-admit.lua', 'lua/rate-block.lua']) {
      const script = loadLua(jobs, file);
      expect(script).not.toContain('--!include');
      expect(script).toContain("redis.call('TIME')");
    }
    expect(loadLua(jobs, 'lua/rate-acquire.lua')).toContain(loadLua(jobs, 'lua/hold-wait.lua').trimEnd());
    expect(loadLua(jobs, 'lua/rate-admit.lua')).toContain(loadLua(jobs, 'lua/hold-wait.lua').trimEnd());
  });
});
