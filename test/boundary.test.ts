import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Architecture boundaries, checked on the source text:
 * - the domain depends on nothing but itself and a few pure libraries;
 * - each chat SDK is imported only by its own adapter;
 * - Redis and BullMQ (and the adapters) are reached only from src/infra/ and the composition root src/main.ts;
 * - only src/config.ts reads process.env;
 * - src/commands has no import cycle (its types sit below the parser, not beside it).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Scanned folders; test/ is not scanned (test helpers may import anything). bench/ and scripts/ count as outside the adapters. */
const SCANNED = ['src', 'adapters', 'jobs', 'messages', 'bench', 'scripts'];
const SOURCE = /\.(ts|mts|cts|tsx)$/;

interface SourceFile {
  /** Path from the repository root, with forward slashes: `src/domain/tasks.ts`. */
  path: string;
  content: string;
}

interface Violation {
  path: string;
  specifier: string;
  rule: string;
}

/** Pure libraries the domain may use; node:crypto only for hashing the audit chain (computation, not I/O). */
const DOMAIN_PACKAGES = ['zod', 'date-fns', '@date-fns/tz', 'date-holidays', 'node:crypto'];
const STORE_PACKAGES = ['ioredis', 'bullmq'];

/** The module specifiers a file names in `import … from`, `export … from`, `import '…'`, `import('…')` and `require('…')`. */
function importsOf(content: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"`])([^'"`]+)\1\s*[,)]/g,
    /\brequire\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g,
  ];
  const out: string[] = [];
  for (const re of patterns) for (const m of content.matchAll(re)) out.push(m[2]!);
  return out;
}

/** A package name or one of its subpaths: `date-fns` matches `date-fns` and `date-fns/locale`. */
const isPackage = (specifier: string, name: string): boolean => specifier === name || specifier.startsWith(`${name}/`);

/** Where a relative specifier points from the repository root (`../infra/x.js` from src/domain → `src/infra/x.js`); undefined for packages. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

const under = (path: string, folder: string): boolean => path.startsWith(`${folder}/`);

/** Every boundary a file's imports cross. */
function checkBoundaries(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const { path, content } of files) {
    for (const specifier of importsOf(content)) {
      const target = resolve(path, specifier);
      const report = (rule: string) => out.push({ path, specifier, rule });

      if (under(path, 'src/domain')) {
        const ok = target !== undefined ? under(target, 'src/domain') : DOMAIN_PACKAGES.some((p) => isPackage(specifier, p));
        if (!ok) report(`src/domain may import only src/domain and ${DOMAIN_PACKAGES.join(', ')}`);
      }

      if (specifier.startsWith('@slack/') && !under(path, 'adapters/slack')) report('@slack/* only in adapters/slack/');

      const teams =
        isPackage(specifier, '@microsoft/teams-ai') ||
        /^botbuilder/.test(specifier) ||
        /^botframework-/.test(specifier) ||
        /^@microsoft\/agents/.test(specifier) ||
        /^@microsoft\/teams\./.test(specifier);
      if (teams && !under(path, 'adapters/teams')) report('Teams SDKs only in adapters/teams/');

      const storeSide = (under(path, 'src') && !under(path, 'src/infra') && path !== 'src/main.ts') || under(path, 'messages');
      if (storeSide) {
        if (STORE_PACKAGES.some((p) => isPackage(specifier, p))) report('ioredis and bullmq only in src/infra/ and src/main.ts');
        if (target !== undefined && (under(target, 'adapters') || target === 'adapters')) report('adapters only from src/main.ts');
      }
    }
  }
  return out;
}

/** Import cycles among the files under `folder`, following relative imports within it (`./x.js` is `x.ts`). */
function importCycles(files: readonly SourceFile[], folder: string): string[][] {
  const inside = new Map(files.filter((f) => under(f.path, folder)).map((f) => [f.path, f.content]));
  const targets = (path: string): string[] =>
    importsOf(inside.get(path) ?? '').flatMap((s) => {
      const t = resolve(path, s)?.replace(/\.js$/, '.ts');
      return t !== undefined && inside.has(t) ? [t] : [];
    });
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (path: string, stack: string[]): void => {
    const at = stack.indexOf(path);
    if (at >= 0) return void cycles.push([...stack.slice(at), path]);
    if (done.has(path)) return;
    stack.push(path);
    for (const t of targets(path)) visit(t, stack);
    stack.pop();
    done.add(path);
  };
  for (const path of inside.keys()) visit(path, []);
  return cycles;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (SOURCE.test(name)) out.push(full);
  }
  return out;
}

/** The scanned source files of the repository. */
function sourceFiles(): SourceFile[] {
  return SCANNED.filter((d) => existsSync(join(ROOT, d)))
    .flatMap((d) => walk(join(ROOT, d)))
    .map((full) => ({ path: relative(ROOT, full).split(sep).join('/'), content: readFileSync(full, 'utf8') }));
}

const describeViolations = (vs: Violation[]): string => vs.map((v) => `${v.path} imports '${v.specifier}' (${v.rule})`).join('\n');

describe('architecture boundaries', () => {
  const files = sourceFiles();

  it('finds the source files', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('src/config.ts');
    expect(paths).toContain('src/commands/grammar.ts');
    expect(paths.some((p) => p.startsWith('src/domain/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('messages/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('test/'))).toBe(false);
  });

  it('no source file imports across a boundary', () => {
    const violations = checkBoundaries(files);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = files
      .filter((f) => f.path !== 'src/config.ts' && /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env['"]\s*\]/.test(f.content))
      .map((f) => f.path);
    expect(readers, `process.env used in: ${readers.join(', ')}`).toEqual([]);
  });

  it('src/commands has no import cycle', () => {
    const cycles = importCycles(files, 'src/commands');
    expect(cycles.map((c) => c.join(' → '))).toEqual([]);
  });
});

describe('the boundary checker itself', () => {
  const check = (path: string, content: string) => checkBoundaries([{ path, content }]);

  it('reports a Slack SDK import outside the Slack adapter', () => {
    const vs = check('src/use-cases/x.ts', "import { App } from '@slack/bolt';\n");
    expect(vs).toEqual([{ path: 'src/use-cases/x.ts', specifier: '@slack/bolt', rule: expect.stringContaining('adapters/slack') }]);
  });

  it('catches every import form', () => {
    const content = [
      "import type { WebClient } from '@slack/web-api';",
      'import {\n  TeamsAdapter,\n  type X,\n} from "@microsoft/teams-ai";',
      "export { BotFrameworkAdapter } from 'botbuilder';",
      "export * from 'botframework-connector';",
      "import 'ioredis';",
      "const q = await import('bullmq');",
      "const r = require('@microsoft/agents-hosting');",
      "import { x } from '../../adapters/console/render-text.js';",
    ].join('\n');
    expect(
      check('src/use-cases/x.ts', content)
        .map((v) => v.specifier)
        .sort(),
    ).toEqual(
      [
        '../../adapters/console/render-text.js',
        '@microsoft/agents-hosting',
        '@microsoft/teams-ai',
        '@slack/web-api',
        'botbuilder',
        'botframework-connector',
        'bullmq',
        'ioredis',
      ].sort(),
    );
  });

  it('keeps the domain pure', () => {
    const bad = [
      "import { readFile } from 'node:fs';",
      "import { createHash } from 'crypto';",
      "import { x } from 'node:crypto-extra';",
      "import type { Store } from '../ports/store.js';",
      "import { Redis } from 'ioredis';",
      "import { x } from '../infra/redis/keys.js';",
      "import express from 'express';",
    ];
    for (const line of bad) expect(check('src/domain/tasks.ts', line), line).toHaveLength(1 + (line.includes('ioredis') ? 1 : 0));
    const good = [
      "import { z } from 'zod';",
      "import { addDays } from 'date-fns';",
      "import { fi } from 'date-fns/locale';",
      "import { tzOffset } from '@date-fns/tz';",
      "import Holidays from 'date-holidays';",
      "import { createHash } from 'node:crypto';",
      "import type { Project } from './types.js';",
      "import { x } from './sub/y.js';",
    ];
    for (const line of good) expect(check('src/domain/tasks.ts', line), line).toEqual([]);
  });

  it('lets each adapter, the infrastructure and the composition root use what they own', () => {
    expect(check('adapters/slack/slack-app.ts', "import { App } from '@slack/bolt';")).toEqual([]);
    expect(
      check(
        'adapters/teams/teams-app.ts',
        "import { Application } from '@microsoft/teams-ai';\nimport { CloudAdapter } from 'botbuilder';",
      ),
    ).toEqual([]);
    expect(check('src/infra/redis/connect.ts', "import { Redis } from 'ioredis';\nimport { Queue } from 'bullmq';")).toEqual([]);
    expect(
      check('src/main.ts', "import { ConsoleShell } from '../adapters/console/console-shell.js';\nimport { Redis } from 'ioredis';"),
    ).toEqual([]);
    expect(check('jobs/reminders.ts', "import { Worker } from 'bullmq';")).toEqual([]);
  });

  it('finds an import cycle, type-only imports included, and nothing outside the folder', () => {
    const files = [
      { path: 'src/commands/a.ts', content: "import type { B } from './b.js';\nimport { z } from 'zod';" },
      { path: 'src/commands/b.ts', content: "import { a } from './a.js';\nimport { T } from '../domain/types.js';" },
      { path: 'src/commands/c.ts', content: "import { a } from './a.js';" },
    ];
    expect(importCycles(files, 'src/commands')).toEqual([['src/commands/a.ts', 'src/commands/b.ts', 'src/commands/a.ts']]);
    expect(importCycles(files.slice(1), 'src/commands')).toEqual([]);
  });

  it('treats messages/, bench/ and scripts/ as outside the adapters', () => {
    expect(check('messages/card.ts', "import { Redis } from 'ioredis';")).toHaveLength(1);
    expect(check('messages/card.ts', "import { x } from '../adapters/slack/blocks.js';")).toHaveLength(1);
    expect(check('bench/load.ts', "import { App } from '@slack/bolt';")).toHaveLength(1);
    expect(check('scripts/setup.ts', "import { CloudAdapter } from 'botbuilder-core';")).toHaveLength(1);
    expect(check('adapters/teams/x.ts', "import { App } from '@slack/bolt';")).toHaveLength(1);
    expect(check('adapters/slack/x.ts', "import { App } from '@microsoft/teams.apps';")).toHaveLength(1);
  });
});
