import type { Arg, CommandName, ParseError } from './command-types.js';
import type { TrainingWhen } from '../domain/types.js';
import { subWord, type Slot, type SlotWord } from './sub-words.js';
import { isTaskRef, mentionRef, parseDate, parseWorkingDays, personRef } from './tokens.js';

/** A usage error on its way out of a parser; `parseCommand` turns it into a ParseResult. */
export class Fail extends Error {
  constructor(readonly error: ParseError) {
    super(error.code);
  }
}

/** Reads words off a line one at a time, failing with a usage error when one is missing or wrong. */
export class Words {
  private i = 0;
  /** The people named with a platform mention so far. */
  readonly mentioned: string[] = [];
  /**
   * The words after the command word; `line` and `starts` (each word's start in it) let the free text at the
   * end be read verbatim.
   */
  constructor(
    private readonly words: string[],
    readonly command: CommandName,
    private readonly raw?: { line: string; starts: number[] },
  ) {}
  peek(): string | undefined {
    return this.words[this.i];
  }
  has(): boolean {
    return this.i < this.words.length;
  }
  next(arg: Arg): string {
    const w = this.words[this.i];
    if (w === undefined || w === '') throw new Fail({ code: 'missing', command: this.command, arg });
    this.i += 1;
    return w;
  }
  /** The rest of the line as typed (quotes and spaces kept), or undefined when nothing is left. */
  rest(): string | undefined {
    const start = this.raw?.starts[this.i];
    const r = (start !== undefined ? this.raw!.line.slice(start) : this.words.slice(this.i).join(' ')).trim();
    const left = this.words.slice(this.i).some((w) => w.trim() !== '');
    this.i = this.words.length;
    return r.length > 0 && left ? r : undefined;
  }
  /** Whether the last word is `confirm` in any language; if so it is taken off the words still to read. */
  takeConfirm(): boolean {
    const last = this.words.at(-1);
    if (this.words.length <= this.i || last === undefined || subWord('confirm', last) !== 'confirm') return false;
    this.words.pop();
    return true;
  }
  /** Whether the next word means `english` in a slot, in any language (`lista`, `luettelo` for `list`). */
  peekIs<S extends Slot>(slot: S, english: SlotWord<S>): boolean {
    const w = this.peek();
    return w !== undefined && subWord(slot, w) === english;
  }
  restRequired(arg: Arg): string {
    const r = this.rest();
    if (!r) throw new Fail({ code: 'missing', command: this.command, arg });
    return r;
  }
  /** One of `values`, typed in English or, when a slot is given, in any language's word for it. */
  oneOf<T extends string>(arg: Arg, values: readonly T[], slot?: Slot): T {
    const w = this.next(arg);
    const v = (slot ? subWord(slot, w) : undefined) ?? w.toLowerCase();
    if (!(values as readonly string[]).includes(v)) throw new Fail({ code: 'invalid', command: this.command, arg, token: w });
    return v as T;
  }
  /** A word of a slot, in any language. */
  pick<S extends Slot>(arg: Arg, slot: S): SlotWord<S> {
    const w = this.next(arg);
    const v = subWord(slot, w);
    if (v === undefined) throw new Fail({ code: 'invalid', command: this.command, arg, token: w });
    return v;
  }
  task(): string {
    const w = this.next('task');
    if (!isTaskRef(w)) throw new Fail({ code: 'invalid', command: this.command, arg: 'task', token: w });
    return w.toLowerCase();
  }
  person(): string {
    const w = this.next('person');
    const p = personRef(w);
    if (!p) throw new Fail({ code: 'invalid', command: this.command, arg: 'person', token: w });
    if (mentionRef(w) === p) this.mentioned.push(p);
    return p;
  }
  date(): string {
    const w = this.next('date');
    const d = parseDate(w);
    if (!d) throw new Fail({ code: 'bad-date', command: this.command, arg: 'date', token: w });
    return d;
  }
  end(): void {
    const w = this.words[this.i];
    if (w !== undefined) throw new Fail({ code: 'extra', command: this.command, token: w });
  }
  /** The words not read yet, consumed. */
  remaining(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }
  /** A value read by a parser, or a usage error quoting the word. */
  parsed<T>(arg: Arg, word: string | undefined, parse: (w: string) => T | undefined): T {
    if (word === undefined || word === '') throw new Fail({ code: 'missing', command: this.command, arg });
    const v = parse(word);
    if (v === undefined) throw new Fail({ code: arg === 'date' ? 'bad-date' : 'invalid', command: this.command, arg, token: word });
    return v;
  }
  /** `-10wd` (working days relative to go-live) or a date. */
  when(word?: string): TrainingWhen {
    return this.parsed('when', word ?? this.next('when'), (w) => {
      const offset = parseWorkingDays(w, true);
      if (offset !== undefined) return Math.abs(offset) <= 250 ? { kind: 'relative' as const, offset } : undefined;
      const date = parseDate(w);
      return date ? { kind: 'fixed' as const, date } : undefined;
    });
  }
}
