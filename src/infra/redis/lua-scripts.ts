import { readFileSync } from 'node:fs';

// The .lua files are read from beside the module that uses them (its import.meta.url), not bundled into
// the code: a build that compiles to dist/ must copy every *.lua file next to the compiled .js files.

/** A line that stands for the whole text of another .lua file, named relative to the including one. */
const INCLUDE = /^--!include[ \t]+(\S+)[ \t]*$/gm;

/** Each .lua file's text as read, by URL: a snippet shared by several scripts is read once. */
const files = new Map<string, string>();

function read(url: URL): string {
  let text = files.get(url.href);
  if (text === undefined) {
    text = readFileSync(url, 'utf8');
    files.set(url.href, text);
  }
  return text;
}

function expand(url: URL, seen: readonly string[]): string {
  if (seen.includes(url.href)) throw new Error(`Lua include cycle: ${[...seen, url.href].join(' -> ')}`);
  return read(url).replace(INCLUDE, (_line, name: string) => expand(new URL(name, url), [...seen, url.href]).replace(/\n$/, ''));
}

/** Reads a script from its .lua file (relative to the caller's `import.meta.url`) once at module load, each `--!include <file>` line replaced by that shared snippet. */
export function loadLua(moduleUrl: string | URL, file: string): string {
  return expand(new URL(file, moduleUrl), []);
}
