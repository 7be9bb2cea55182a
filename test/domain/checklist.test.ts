import { describe, expect, it } from 'vitest';
import { applicableTasks, CHECKLIST, effectiveStatus, progress, templateTasks } from '../../src/domain/checklist.js';
import { newProject } from '../../src/domain/project.js';
import { addItem, setStatus } from '../../src/domain/tasks.js';
import type { Project } from '../../src/domain/types.js';

const actor = { tenant: 'T', userId: 'coord', platform: 'console' as const };
const fresh = (): Project => newProject('p1', actor, { platform: 'console', id: 'c' }, 'Demo', '2026-11-23T10:00:00Z');

function apply(p: Project, ...changes: Array<(p: Project) => ReturnType<typeof setStatus>>): Project {
  return changes.reduce((acc, f) => {
    const c = f(acc);
    if (c.refused) throw new Error(c.code);
    return c.project;
  }, p);
}

describe('the checklist template', () => {
  it("has the source pages' 31 items with parents before children", () => {
    expect(CHECKLIST).toHaveLength(31);
    const ids = CHECKLIST.map((i) => i.id);
    for (const id of ids) {
      const parent = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : undefined;
      if (parent) expect(ids.indexOf(parent)).toBeLessThan(ids.indexOf(id));
    }
    expect(CHECKLIST.find((i) => i.id === 'golive-plan')?.names.sv).toBe('Plan för införandet');
  });

  it('drops the technical items for the light connection method only', () => {
    const p = fresh();
    expect(applicableTasks(p)).toHaveLength(31);
    expect(applicableTasks({ ...p, connection: 'robotics' })).toHaveLength(31);
    expect(applicableTasks({ ...p, connection: 'light' }).map((t) => t.id)).not.toContain('testing.technical');
    expect(applicableTasks({ ...p, connection: 'light' })).toHaveLength(29);
  });

  it("derives a parent's status from its children, nested groups included", () => {
    let p = fresh();
    const status = (id: string) =>
      effectiveStatus(
        p.tasks,
        p.tasks.find((t) => t.id === id)!,
      );
    expect(status('joining')).toBe('todo');
    p = apply(p, (x) => setStatus(x, 'coord', 'joining.services.form-data', 'done'));
    expect(status('joining.services')).toBe('in_progress');
    expect(status('joining')).toBe('in_progress');
    p = apply(p, (x) => setStatus(x, 'coord', 'joining.services.form-sent', 'blocked', 'waiting for signature'));
    expect(status('joining')).toBe('blocked');
    p = apply(
      p,
      (x) => setStatus(x, 'coord', 'joining.services.form-sent', 'done'),
      (x) => setStatus(x, 'coord', 'joining.login-method', 'na', 'handled by the region'),
      (x) => setStatus(x, 'coord', 'joining.staff-login', 'done'),
    );
    expect(status('joining.services')).toBe('done');
    expect(status('joining')).toBe('done');
    expect(
      progress(
        p.tasks,
        p.tasks.filter((t) => t.id.startsWith('joining')),
      ),
    ).toEqual({ done: 3, total: 3 });
  });

  it('lets a project add its own items under a group, counted in progress', () => {
    let p = fresh();
    const before = progress(templateTasks());
    p = apply(p, (x) => addItem(x, 'coord', 'comms', 'Intranet news item'));
    const added = p.tasks.find((t) => t.custom);
    expect(added?.id).toBe('comms.intranet-news-item');
    expect(p.tasks.indexOf(added!)).toBe(p.tasks.findIndex((t) => t.id === 'comms.capabilities') + 1);
    expect(progress(p.tasks).total).toBe(before.total + 1);
  });
});
