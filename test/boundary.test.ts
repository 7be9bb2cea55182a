import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Architecture boundaries, checked on the source text (the README's "Architecture" section draws them):
 * - the domain depends on nothing but itself and a few pure libraries;
 * - nothing under src/ imports app/, adapters/, jobs/ or an SDK: the core talks to ports;
 * - messages/ (the neutral card model and every sentence) depends only on itself and the domain's types;
 * - each chat SDK is imported only by its own adapter, and no adapter imports another adapter, the jobs,
 *   the composition root, the infrastructure or the config (it is given what it needs);
 * - the jobs import no adapter and not the composition root;
 * - Redis and BullMQ are reached only from src/infra/ and jobs/ (and bench/, whose baselines are bare BullMQ);
 * - only src/config.ts reads process.env;
 * - zod (the zod 4 package) is imported only as `zod`, never through `zod/v3` (the zod 3 API it still ships) or its other
 *   entry points, tests included, so no schema mixes two APIs;
 * - src/commands has no import cycle (its types sit below the parser, not beside it).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Scanned folders; test/ is not scanned (test helpers may import anything). */
const SCANNED = ['app', 'src', 'adapters', 'jobs', 'messages', 'bench', 'scripts'];
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
const DOMAIN_PACKAGES = ['zod', 'date-fns', '@date-fns/tz', 'date-holidays-parser', 'node:crypto'];
const STORE_PACKAGES = ['ioredis', 'bullmq'];
/** The one zod entry point: the zod 4 API, which the zod 3.25 package ships at this subpath (the README's Architecture section says why). */
const ZOD = 'zod';
/** Web frameworks and SDKs the core must not know of: they belong to the adapters, the jobs or the composition root. */
const FRAMEWORKS = ['express', '@bull-board', '@azure', 'pino', 'undici'];

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

/** The Teams SDKs: teams-ai v1, botbuilder and its connector, and the newer Teams SDK and Agents SDK the adapter may move to. */
const isTeamsSdk = (specifier: string): boolean =>
  isPackage(specifier, '@microsoft/teams-ai') ||
  /^botbuilder/.test(specifier) ||
  /^botframework-/.test(specifier) ||
  /^@microsoft\/agents/.test(specifier) ||
  /^@microsoft\/teams\./.test(specifier);

/** The adapter a path belongs to (`adapters/slack/x.ts` → `slack`), if any. */
const adapterOf = (path: string): string | undefined => /^adapters\/([^/]+)\//.exec(path)?.[1];

/** Every boundary a file's imports cross. */
function checkBoundaries(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const { path, content } of files) {
    for (const specifier of importsOf(content)) {
      const target = resolve(path, specifier);
      const into = (folder: string) => target !== undefined && (under(target, folder) || target === folder);
      const report = (rule: string) => out.push({ path, specifier, rule });
      const adapter = adapterOf(path);

      if (under(path, 'src/domain')) {
        const ok = target !== undefined ? under(target, 'src/domain') : DOMAIN_PACKAGES.some((p) => isPackage(specifier, p));
        if (!ok) report(`src/domain may import only src/domain and ${DOMAIN_PACKAGES.join(', ')}`);
      }

      if (under(path, 'src')) {
        for (const outer of ['app', 'adapters', 'jobs', 'bench', 'scripts', 'test']) {
          if (into(outer)) report(`nothing under src/ imports ${outer}/: the core talks to ports, the composition root wires them`);
        }
        if (FRAMEWORKS.some((p) => isPackage(specifier, p)))
          report(`nothing under src/ imports ${specifier}: frameworks belong to app/, adapters/ and jobs/`);
      }

      if (under(path, 'messages')) {
        const ok = target !== undefined ? under(target, 'messages') || under(target, 'src/domain') : false;
        if (!ok) report('messages/ may import only messages/ and src/domain/');
      }

      if (specifier.startsWith('@slack/') && adapter !== 'slack') report('@slack/* only in adapters/slack/');
      if (isTeamsSdk(specifier) && adapter !== 'teams') report('Teams SDKs only in adapters/teams/');
      if (isPackage(specifier, '@azure/msal-node') && adapter !== 'teams') report('@azure/msal-node only in adapters/teams/');

      if (adapter !== undefined) {
        const other = target !== undefined ? adapterOf(target) : undefined;
        if (other !== undefined && other !== adapter)
          report(`adapters/${adapter} may not import adapters/${other}: adapters meet only in the composition root`);
        if (into('jobs') || into('app'))
          report('adapters import neither jobs/ nor app/: they implement ports the composition root hands to the jobs');
        if (into('src/infra') || target?.replace(/\.js$/, '') === 'src/config')
          report('adapters are given their stores and settings; they import neither src/infra/ nor src/config.ts');
      }

      if (under(path, 'jobs') && (into('adapters') || into('app')))
        report('jobs/ reaches the platforms through ChatPort, never an adapter or app/');

      const storeAllowed = under(path, 'src/infra') || under(path, 'jobs') || under(path, 'bench');
      if (!storeAllowed && STORE_PACKAGES.some((p) => isPackage(specifier, p))) report('ioredis and bullmq only in src/infra/ and jobs/');

      if (!under(path, 'bench') && !under(path, 'scripts') && into('test')) report('only bench/ and scripts/ may use test/ fakes');

      if (isPackage(specifier, 'zod') && specifier !== ZOD) report(`zod only as '${ZOD}': one zod API everywhere`);
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

  it("imports zod only as 'zod', in the tests too", () => {
    // The tests are scanned for this rule alone (they may import anything else); this file's fixtures are not code.
    const tests = walk(join(ROOT, 'test'))
      .map((full) => ({ path: relative(ROOT, full).split(sep).join('/'), content: readFileSync(full, 'utf8') }))
      .filter((f) => f.path !== 'test/boundary.test.ts');
    const zod = [...files, ...tests].filter((f) => importsOf(f.content).some((s) => isPackage(s, 'zod')));
    expect(zod.map((f) => f.path)).toContain('src/domain/types.ts');
    const violations = checkBoundaries(zod).filter((v) => isPackage(v.specifier, 'zod'));
    expect(violations, describeViolations(violations)).toEqual([]);
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
      // The whole library with every country's data: the domain takes Finland's rules alone (holidays-fi.ts).
      "import Holidays from 'date-holidays';",
    ];
    for (const line of bad)
      expect(
        check('src/domain/tasks.ts', line).map((v) => v.rule),
        line,
      ).toContainEqual(expect.stringContaining('src/domain may import only'));
    const good = [
      "import { z } from 'zod';",
      "import { addDays } from 'date-fns';",
      "import { fi } from 'date-fns/locale';",
      "import { tzOffset } from '@date-fns/tz';",
      "import Holidays from 'date-holidays-parser';",
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
      check(
        'app/compose.ts',
        "import { createConsoleAdapter } from '../adapters/console/console-adapter.js';\nimport { createQueues } from '../jobs/index.js';",
      ),
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

  it('keeps the core, the adapters and the jobs apart, as the README draws them', () => {
    const layering: Array<[string, string]> = [
      ['src/use-cases/x.ts', "import { compose } from '../../app/compose.js';"],
      ['src/views/x.ts', "import { createQueues } from '../../jobs/index.js';"],
      ['src/ports/x.ts', "import type { Request } from 'express';"],
      ['src/infra/x.ts', "import { pino } from 'pino';"],
      ['adapters/slack/x.ts', "import { renderText } from '../console/render-text.js';"],
      ['adapters/teams/x.ts', "import { createQueues } from '../../jobs/index.js';"],
      ['adapters/teams/x.ts', "import { ConversationRefs } from '../../src/infra/redis/conversation-refs.js';"],
      ['adapters/teams/x.ts', "import { loadConfig } from '../../src/config.js';"],
      ['adapters/console/x.ts', "import { compose } from '../../app/compose.js';"],
      ['jobs/x.ts', "import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';"],
      ['app/x.ts', "import { Redis } from 'ioredis';"],
      ['messages/x.ts', "import type { ChatPort } from '../src/ports/chat.js';"],
      ['adapters/slack/x.ts', "import { FakeSlackApi } from '../../test/slack/fake-slack-api.js';"],
    ];
    for (const [path, line] of layering) expect(check(path, line), `${path}: ${line}`).toHaveLength(1);
    const allowed: Array<[string, string]> = [
      [
        'adapters/slack/x.ts',
        "import type { ChatPort } from '../../src/ports/chat.js';\nimport type { Bot } from '../../src/use-cases/bot.js';",
      ],
      ['adapters/teams/x.ts', "import { catalog } from '../../messages/i18n.js';\nimport { x } from './inbound.js';"],
      ['jobs/x.ts', "import { RedisKeys } from '../src/infra/redis/keys.js';\nimport type { ChatPort } from '../src/ports/chat.js';"],
      ['messages/x.ts', "import type { Lang } from '../src/domain/types.js';\nimport { en } from './catalog/en.js';"],
      ['src/use-cases/x.ts', "import type { Card } from '../../messages/card.js';\nimport { z } from 'zod';"],
      ['bench/x.ts', "import { Queue } from 'bullmq';\nimport { FakeSlackApi } from '../test/slack/fake-slack-api.js';"],
    ];
    for (const [path, line] of allowed) expect(check(path, line), `${path}: ${line}`).toEqual([]);
  });

  it("refuses zod's other entry points, its zod 3 API first", () => {
    for (const specifier of ['zod/v3', 'zod/v4', 'zod/v4-mini', 'zod/mini', 'zod/v4/core'])
      expect(check('src/domain/types.ts', `import { z } from '${specifier}';`), specifier).toEqual([
        { path: 'src/domain/types.ts', specifier, rule: expect.stringContaining("zod only as 'zod'") },
      ]);
    expect(check('test/x.test.ts', "import type { ZodType } from 'zod/v3';")).toHaveLength(1);
    expect(check('src/config.ts', "import { z } from 'zod';\nimport type { ZodError } from 'zod';")).toEqual([]);
    expect(check('test/x.test.ts', "import { z } from 'zod';")).toEqual([]);
  });

  it('treats messages/, bench/ and scripts/ as outside the adapters', () => {
    expect(check('messages/card.ts', "import { Redis } from 'ioredis';").length).toBeGreaterThan(0);
    expect(check('messages/card.ts', "import { x } from '../adapters/slack/blocks.js';").length).toBeGreaterThan(0);
    expect(check('bench/load.ts', "import { App } from '@slack/bolt';")).toHaveLength(1);
    expect(check('scripts/setup.ts', "import { CloudAdapter } from 'botbuilder-core';")).toHaveLength(1);
    expect(check('adapters/teams/x.ts', "import { App } from '@slack/bolt';")).toHaveLength(1);
    expect(check('adapters/slack/x.ts', "import { App } from '@microsoft/teams.apps';")).toHaveLength(1);
  });
});
