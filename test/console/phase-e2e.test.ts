import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleShell } from '../../adapters/console/console-shell.js';
import { verifyAuditFile } from '../../src/infra/audit/audit-file.js';
import { jobsHarness, type JobsHarness } from '../jobs/support/jobs-harness.js';
import { RecordingChatPort, text } from '../jobs/support/recording-chat.js';

/**
 * A whole implementation phase typed into the console adapter (buttons pressed by their numbers, forms
 * answered line by line) on a real Redis with the delivery workers running.
 */
describe('a whole phase through the console adapter', () => {
  let h: JobsHarness;
  let dir: string;
  afterEach(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One console session: a fresh shell (button numbers start at 1), the lines typed, what it printed. */
  async function type(lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString()));
    const shell = new ConsoleShell(h.bot, { tenant: 'T1', user: 'coord', input, output, interactive: false, exportDir: dir });
    input.end(lines.map((l) => `${l}\n`).join(''));
    await shell.run();
    return out;
  }

  it('decides on evidence, tells every group once in its languages, and exports a verifiable audit trail', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lv-phase-'));
    const chat = new RecordingChatPort('console');
    h = await jobsHarness({ now: new Date('2026-11-23T08:00:00Z'), chat });

    const setup = await type([
      'project new Demo City permits',
      ...['coord', 'dora', 'anna', 'ben'].map((p) => `as ${p} lang en`),
      'golive 2027-03-02',
      'role dora decider',
      'done process.review',
      'done golive-plan',
      'comms channel customers C-cust',
      'comms channel staff C-staff',
      'comms langs staff fi',
      'comms channel others C-others',
      'comms langs others en',
      'signoff technical anna confirm',
      'as anna approve technical',
    ]);
    expect(setup).toContain('Project “Demo City permits” created');
    expect(setup).not.toMatch(/not a date|unknown|Only /);

    // A rejection through the sign-off card's third button, its reason typed as the form's answer.
    const rejected = await type(['signoff functional anna', 'as anna 3', 'Virtu login fails']);
    expect(rejected).toMatch(/\[1\] Approve {2}\[2\] Approve with remarks {2}\[3\] Reject/);
    expect(rejected).toMatch(/@anna: rejected .* – “Virtu login fails”/);
    // Asked again, approved with remarks through the second button.
    const remarks = await type(['signoff functional anna', 'as anna 2', 'Attachments are slow']);
    expect(remarks).toMatch(/@anna: approved with remarks .* – “Attachments are slow”/);
    await type([
      'signoff acceptance ben confirm',
      'as ben approve acceptance',
      'as ben acceptance complete All e-services connected',
      'as ben acceptance effect None for customers',
    ]);

    // Readiness says what is missing; Go without a justification is refused and nobody is told.
    const refused = await type(['as dora readiness', 'as dora 1', '', '']);
    expect(refused).toContain('Risk assessment');
    expect(refused).toMatch(/\[1\] Go {2}\[2\] No-go {2}\[3\] Postpone/);
    expect(refused).toContain('A go decision needs the readiness material');
    await h.idle();
    expect(chat.posts.filter((x) => x.key?.startsWith('ann|'))).toEqual([]);

    // The decision maker overrides with a written justification: recorded, and every group is told once.
    const go = await type(['as dora readiness', 'as dora 1', '', 'The board accepts the open risks']);
    expect(go).toContain('Decision recorded: go, 2 Mar 2027.');
    expect(go).toContain('The announcement is being sent: 4 messages');
    await h.idle();
    const p = (await h.store.load('T1', (await h.store.projectIdFor('T1', { platform: 'console', id: 'console' }))!))!.project;
    expect(p.decisions.map((d) => [d.outcome, d.override])).toEqual([['go', 'The board accepts the open risks']]);
    const sent = chat.posts.filter((x) => x.key?.startsWith(`ann|${p.decisions[0]!.id}|`));
    expect(sent.map((x) => `${x.target.conversation} ${x.key?.split('|').at(-1)}`).sort()).toEqual([
      'C-cust fi',
      'C-cust sv',
      'C-others en',
      'C-staff fi',
    ]);
    expect(text(sent.find((x) => x.key?.endsWith('|en'))!.card)).toContain('Demo City permits');
    expect([...chat.perKey()].filter(([, n]) => n !== 1)).toEqual([]);

    // The audit export verifies; any one changed byte makes it fail.
    const exported = await type(['export audit json']);
    const path = exported.split('\n').find((l) => l.startsWith(dir));
    expect(path).toBeDefined();
    const bytes = readFileSync(path!);
    const verdict = verifyAuditFile(bytes);
    expect(verdict.ok).toBe(true);
    const actions = (JSON.parse(bytes.toString('utf8')) as { events: Array<{ body: string }> }).events.map(
      (e) => (JSON.parse(e.body) as { action: string }).action,
    );
    expect(actions).toEqual(expect.arrayContaining(['project.create', 'signoff.reject', 'signoff.remarks', 'decision.go']));
    const altered = Buffer.from(bytes);
    const at = bytes.indexOf('Virtu login fails');
    altered[at] = 'v'.charCodeAt(0);
    expect(verifyAuditFile(altered).ok).toBe(false);
  });
});
