import { describe, expect, it } from 'vitest';
import { announcementKey, fillText, recipients } from '../../src/domain/comms.js';
import { decide } from '../../src/domain/decision.js';
import { newProject } from '../../src/domain/project.js';
import { ProjectSchema, type Project } from '../../src/domain/types.js';
import { grant } from '../../src/domain/roles.js';

function project(): Project {
  const p = newProject(
    'p1',
    { tenant: 'T1', userId: 'coord', platform: 'console' },
    { platform: 'console', id: 'C1' },
    'Demo',
    '2026-11-23T08:00:00Z',
  );
  p.people = grant(p.people, 'dora', 'decider');
  return p;
}

describe('communications plan and decisions (pure domain)', () => {
  it('parses a project stored before the communications plan, staff readiness and the joining form existed', () => {
    const { comms: _c, staffLogin: _s, joiningForm: _j, ...old } = project();
    const parsed = ProjectSchema.parse(JSON.parse(JSON.stringify(old)));
    expect(parsed.comms.map((g) => g.id)).toEqual(['customers', 'staff', 'others']);
    expect(parsed.comms[0]?.languages).toEqual(['fi', 'sv']);
    expect(parsed.staffLogin).toEqual({});
    expect(parsed.joiningForm).toEqual({});
  });

  it('keys each announcement message by decision, group, channel and language, and fills only known placeholders', () => {
    const p = project();
    p.comms[0]!.channels.push({ platform: 'slack', id: 'C9' });
    expect(recipients(p).map((r) => announcementKey('d3', r))).toEqual(['ann|d3|customers|slack:C9|fi', 'ann|d3|customers|slack:C9|sv']);
    expect(fillText('{project} {date} {review} {other}', { project: 'Demo', date: '2.3.2027' })).toBe('Demo 2.3.2027 {review} {other}');
  });

  it('records a decision identical to the one in force once, whoever asks and whenever; a different one supersedes it', () => {
    const p = project();
    p.people = grant(p.people, 'dan', 'decider');
    const input = { outcome: 'postpone' as const, date: '2027-05-04' };
    const first = decide(p, 'dora', input, '2026-11-23T08:00:00.000Z', '2026-11-23');
    if (first.refused || first.unchanged) throw new Error('expected a decision');
    expect(decide(first.project, 'dora', input, '2026-11-23T08:00:01.000Z', '2026-11-23')).toMatchObject({ unchanged: true });
    // Issue 14: an hour later, or by another decision maker, the same decision is still the one in force, not a new one.
    expect(decide(first.project, 'dora', input, '2026-11-23T09:00:00.000Z', '2026-11-23')).toMatchObject({ unchanged: true });
    expect(decide(first.project, 'dan', input, '2026-11-23T09:00:00.000Z', '2026-11-23')).toMatchObject({ unchanged: true });
    expect(decide(first.project, 'dora', { ...input, date: '2027-05-05' }, '2026-11-23T08:00:01.000Z', '2026-11-23')).toMatchObject({
      refused: false,
      audit: { action: 'decision.postpone' },
    });
  });
});
