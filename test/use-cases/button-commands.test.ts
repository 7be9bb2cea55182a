import { describe, expect, it } from 'vitest';
import { commandOfButton } from '../../src/use-cases/button-commands.js';

const project = 'p0a1b2c3d4e';

describe('commandOfButton: a pressed button is the command typed text would give', () => {
  it('shares the status in the channel', () => {
    expect(commandOfButton({ action: 'status.share', project }, {})).toEqual({ command: { name: 'status' }, visibility: 'channel' });
  });

  it('answers a sign-off with the text as typed, and leaves a blank one out', () => {
    expect(commandOfButton({ action: 'signoff.approve', project, signoff: 's1' }, { text: 'ignored' })).toEqual({
      command: { name: 'respond', response: 'approve', ref: 's1' },
    });
    expect(commandOfButton({ action: 'signoff.remarks', project, signoff: 's1' }, { text: ' fix the logo ' })).toEqual({
      command: { name: 'respond', response: 'remarks', ref: 's1', text: ' fix the logo ' },
    });
    expect(commandOfButton({ action: 'signoff.remarks', project, signoff: 's1' }, { text: '  ' })).toEqual({
      command: { name: 'respond', response: 'remarks', ref: 's1' },
    });
    expect(commandOfButton({ action: 'signoff.reject', project, signoff: 's2' }, { reason: 'broken' })).toEqual({
      command: { name: 'respond', response: 'reject', ref: 's2', text: 'broken' },
    });
  });

  it('marks a task done or in progress, and snoozes it', () => {
    expect(commandOfButton({ action: 'task.done', project, task: 'process.review' }, {})).toEqual({
      command: { name: 'set-status', status: 'done', task: 'process.review' },
    });
    expect(commandOfButton({ action: 'task.start', project, task: 'process.review' }, {})).toEqual({
      command: { name: 'set-status', status: 'in_progress', task: 'process.review' },
    });
    expect(commandOfButton({ action: 'task.snooze', project, task: 'review', span: { workingDays: 3 } }, { date: '2027-01-01' })).toEqual({
      command: { name: 'snooze', task: 'review', span: { workingDays: 3 } },
    });
    expect(commandOfButton({ action: 'task.snooze', project, task: 'review', span: 'until' }, { date: '1.2.2027' })).toEqual({
      command: { name: 'snooze', task: 'review', span: { date: '2027-02-01' } },
    });
  });

  it('quotes a date it cannot read in the snooze or decision form', () => {
    expect(commandOfButton({ action: 'task.snooze', project, task: 'review', span: 'until' }, { date: '31.2.2027' })).toEqual({
      error: { code: 'bad-date', command: 'snooze', arg: 'date', token: '31.2.2027' },
    });
    expect(commandOfButton({ action: 'task.snooze', project, task: 'review', span: 'until' }, {})).toEqual({
      error: { code: 'bad-date', command: 'snooze', arg: 'date', token: '' },
    });
    expect(commandOfButton({ action: 'decision.postpone', project }, { date: ' soon ' })).toEqual({
      error: { code: 'bad-date', command: 'decide', arg: 'date', token: 'soon' },
    });
  });

  it('reads a decision form: dates as typed, blanks left out, an override only with go', () => {
    expect(commandOfButton({ action: 'decision.go', project }, { date: '1.3.2027', override: ' signed off by phone ' })).toEqual({
      command: { name: 'decide', input: { outcome: 'go', date: '2027-03-01', override: 'signed off by phone' } },
    });
    expect(commandOfButton({ action: 'decision.go', project }, { date: ' ' })).toEqual({
      command: { name: 'decide', input: { outcome: 'go' } },
    });
    expect(
      commandOfButton({ action: 'decision.nogo', project }, { reasons: 'not ready', nextReview: '2027-03-08', date: '2027-01-01' }),
    ).toEqual({ command: { name: 'decide', input: { outcome: 'nogo', reasons: 'not ready', nextReview: '2027-03-08' } } });
    expect(commandOfButton({ action: 'decision.postpone', project }, { date: '2027-04-01', override: 'x' })).toEqual({
      command: { name: 'decide', input: { outcome: 'postpone', date: '2027-04-01' } },
    });
  });

  it('answers the staff question and a training invitation', () => {
    expect(commandOfButton({ action: 'staff.yes', project }, {})).toEqual({
      command: { name: 'staff', op: { op: 'answer', answer: 'yes' } },
    });
    expect(commandOfButton({ action: 'staff.problem', project }, { text: 'no card reader' })).toEqual({
      command: { name: 'staff', op: { op: 'answer', answer: 'problem', text: 'no card reader' } },
    });
    expect(commandOfButton({ action: 'training.attend', project, training: 't3' }, {})).toEqual({
      command: { name: 'training-answer', ref: 't3', answer: 'yes' },
    });
    expect(commandOfButton({ action: 'training.decline', project, training: 't3' }, {})).toEqual({
      command: { name: 'training-answer', ref: 't3', answer: 'no' },
    });
  });

  it('saves the texts typed per language, trimmed (one over its limit is refused when saved, not cut), and nothing when every text is blank', () => {
    const long = 'x'.repeat(3100);
    expect(
      commandOfButton({ action: 'comms.texts', project, group: 'press', kind: 'go' }, { fi: ' Hei ', sv: '', en: long, de: 'ignored' }),
    ).toEqual({
      command: { name: 'comms', op: { op: 'texts', group: 'press', kind: 'go', texts: { fi: 'Hei', en: long } } },
    });
    expect(commandOfButton({ action: 'comms.texts', project, group: 'press', kind: 'go' }, { fi: ' ', en: '' })).toBeUndefined();
  });
});
