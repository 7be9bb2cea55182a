import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CHECKLIST } from '../../src/domain/checklist.js';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import { freshRedis } from '../support/redis.js';

/** Runs `npm start`'s entry point with piped standard input, as `printf '…' | npm start` does. */
function start(lines: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('npm start with piped standard input (console adapter)', () => {
  const fresh = freshRedis();
  afterAll(async () => fresh.cleanup());

  it('shows the full checklist in Finnish, Swedish and English, and drops technical items for light', async () => {
    const run = await start(
      ['project new Demo', 'lang fi', 'tasks', 'lang sv', 'tasks', 'lang en', 'tasks', 'project connection light', 'tasks'],
      { REDIS_URL: inject('redisUrl'), LV_REDIS_PREFIX: fresh.prefix, LV_CONSOLE_USER: 'anna' },
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const parts = run.out.split('lv> tasks');
    expect(parts).toHaveLength(5);
    const [fi, sv, en, light] = parts.slice(1) as [string, string, string, string];
    for (const item of CHECKLIST) {
      expect(fi).toContain(item.names.fi);
      expect(sv).toContain(item.names.sv);
      expect(en).toContain(item.names.en);
    }
    const technical = CHECKLIST.filter((i) => i.technical);
    expect(technical.map((i) => i.id)).toEqual(['systems.integration', 'testing.technical']);
    for (const item of technical) expect(light).not.toContain(item.names.en);
    for (const item of CHECKLIST.filter((i) => !i.technical)) expect(light).toContain(item.names.en);
  });

  it('shows the notices its last commands queued before it leaves at the end of the input', async () => {
    // A working day well ahead, whatever day the test runs.
    const calendar = new WorkingDayCalendar();
    const day = calendar.onOrAfter(calendar.addDays(calendar.today(new Date()), 60));
    const run = await start(['project new Demo', `training add Intro ${day} 10:00 60min all`, 'staff add sami'], {
      REDIS_URL: inject('redisUrl'),
      LV_REDIS_PREFIX: `${fresh.prefix}-notices`,
      LV_CONSOLE_USER: 'anna',
    });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    // The invitation to the training and the question to the official asked, each once.
    expect(run.out.match(/\(to @anna\)\n== Kutsu koulutukseen: Intro ==/g)).toHaveLength(1);
    expect(run.out.match(/\(to @sami\)\n== Pystytkö kirjautumaan\? Demo ==/g)).toHaveLength(1);
  });

  it('starts a private Redis when REDIS_URL is not set, and keeps the data for the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lv-start-'));
    try {
      const first = await start(['project new Persisted', 'done process.review'], { LV_DATA_DIR: dataDir });
      expect(first.code).toBe(0);
      expect(first.out).toContain('Project “Persisted” created');
      const second = await start(['status'], { LV_DATA_DIR: dataDir });
      expect(second.code).toBe(0);
      expect(second.out).toContain('Status: Persisted');
      expect(second.out).toMatch(/service process changes: 1\/4/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a wrong setting, naming it with an example', async () => {
    const run = await start([], { REDIS_URL: 'localhost:6379' });
    expect(run.code).toBe(1);
    expect(run.err).toContain('REDIS_URL');
    expect(run.err).toContain('redis://127.0.0.1:6379');
  });
});
