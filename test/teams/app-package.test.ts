import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { buildTeamsPackage, packagedManifest, PLACEHOLDER_BOT_ID } from '../../adapters/teams/package/app-package.js';
import { decodePng, readPngHeader } from '../../adapters/teams/package/png.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BOT_ID = '6d1f7a7e-2c3b-4f0e-9b1a-0c5d8e7f6a21';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HTTPS = /^https:\/\/[^\s/$.?#].[^\s]*$/;

const work = mkdtempSync(join(tmpdir(), 'lv-teams-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * What the Teams app manifest schema v1.22 requires of the fields this app uses. The official schema is
 * published only online (developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json),
 * which this machine cannot reach, so its rules are checked here one by one instead.
 */
function manifestProblems(m: any, botId: string): string[] {
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => {
    if (!ok) problems.push(what);
  };
  const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
  need(
    m.$schema === 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.22/MicrosoftTeams.schema.json',
    '$schema is the v1.22 schema',
  );
  need(m.manifestVersion === '1.22', 'manifestVersion 1.22');
  need(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(m.version), 'version is major.minor.patch');
  need(GUID.test(m.id), 'id is a GUID');
  need(text(m.developer?.name, 32), 'developer.name (≤32)');
  for (const url of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'])
    need(HTTPS.test(m.developer?.[url] ?? '') && m.developer[url].length <= 2048, `developer.${url} is an https URL`);
  need(text(m.name?.short, 30), 'name.short (≤30)');
  need(m.name?.full === undefined || text(m.name.full, 100), 'name.full (≤100)');
  need(text(m.description?.short, 80), 'description.short (≤80)');
  need(text(m.description?.full, 4000), 'description.full (≤4000)');
  need(typeof m.icons?.color === 'string' && typeof m.icons?.outline === 'string', 'icons.color and icons.outline');
  need(/^#[0-9a-fA-F]{6}$/.test(m.accentColor), 'accentColor is #RRGGBB');
  need(Array.isArray(m.bots) && m.bots.length === 1, 'one bot');
  const bot = m.bots?.[0] ?? {};
  need(GUID.test(bot.botId) && bot.botId === botId, 'bots[0].botId is the Azure bot’s app id');
  need(
    Array.isArray(bot.scopes) && bot.scopes.every((s: string) => ['personal', 'team', 'groupChat'].includes(s)),
    'bot scopes are personal, team, groupChat',
  );
  for (const list of bot.commandLists ?? []) {
    need(list.commands.length <= 10, 'at most 10 commands a list');
    need(
      list.scopes.every((s: string) => bot.scopes.includes(s)),
      'command list scopes are bot scopes',
    );
    for (const c of list.commands) need(text(c.title, 32) && text(c.description, 128), `command ${c.title}: title ≤32, description ≤128`);
  }
  need(Array.isArray(m.validDomains), 'validDomains');
  // Resource-specific consent (v1.12+): the Entra app that gets the permissions, and what they are.
  need(m.webApplicationInfo?.id === botId, 'webApplicationInfo.id is the bot’s app id');
  need(text(m.webApplicationInfo?.resource, 2048), 'webApplicationInfo.resource (any non-empty string for RSC)');
  const rsc = m.authorization?.permissions?.resourceSpecific;
  need(
    Array.isArray(rsc) && rsc.every((p: any) => ['Application', 'Delegated'].includes(p.type) && /^[A-Za-z]+(\.[A-Za-z]+)+$/.test(p.name)),
    'authorization.permissions.resourceSpecific: names and types',
  );
  const langs = m.localizationInfo?.additionalLanguages ?? [];
  need(/^[a-z]{2}(-[a-z]{2})?$/i.test(m.localizationInfo?.defaultLanguageTag ?? ''), 'localizationInfo.defaultLanguageTag');
  for (const l of langs) need(/^[a-z]{2}(-[a-z]{2})?$/i.test(l.languageTag) && /\.json$/.test(l.file), `localization ${l.languageTag}`);
  return problems;
}

function unzip(file: string): Record<string, Uint8Array> {
  return unzipSync(readFileSync(file));
}

const jsonOf = (bytes: Uint8Array | undefined): any => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

describe('the Teams app package', () => {
  it('`teams:package` (scripts/teams-package.ts) writes dist/lv-bot-teams.zip with a valid manifest and icons of the right sizes', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'teams-package.ts')], {
      cwd: ROOT,
      env: { ...process.env, MICROSOFT_APP_ID: BOT_ID, NODE_ENV: 'development' },
      encoding: 'utf8',
    });
    expect(out).toContain('lv-bot-teams.zip');
    const files = unzip(join(ROOT, 'dist', 'lv-bot-teams.zip'));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'fi.json', 'manifest.json', 'outline.png', 'sv.json']);
    const manifest = jsonOf(files['manifest.json']);
    expect(manifestProblems(manifest, BOT_ID)).toEqual([]);
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);

    const color = readPngHeader(files[manifest.icons.color]!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPngHeader(files[manifest.icons.outline]!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('the outline icon is white on transparent, and the colour icon is opaque', () => {
    const outline = decodePng(readFileSync(join(ROOT, 'appPackage', 'outline.png')));
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = [outline.pixels[i], outline.pixels[i + 1], outline.pixels[i + 2], outline.pixels[i + 3]];
      if (a === 0) transparent++;
      else {
        expect([r, g, b]).toEqual([255, 255, 255]);
        white++;
      }
    }
    expect(transparent).toBeGreaterThan(200);
    expect(white).toBeGreaterThan(100);
    const color = decodePng(readFileSync(join(ROOT, 'appPackage', 'color.png')));
    for (let i = 3; i < color.pixels.length; i += 4) expect(color.pixels[i]).toBe(255);
  });

  it('suggests status, help, tasks and readiness, described in English, Finnish and Swedish from the catalogue', () => {
    const outFile = join(work, 'a.zip');
    buildTeamsPackage({ botId: BOT_ID, version: '1.2.3', sourceDir: join(ROOT, 'appPackage'), outFile });
    const files = unzip(outFile);
    const manifest = jsonOf(files['manifest.json']);
    const commands = manifest.bots[0].commandLists[0].commands;
    expect(commands.map((c: any) => c.title)).toEqual(['status', 'help', 'tasks', 'readiness']);
    expect(commands.map((c: any) => c.description)).toEqual(
      ['status', 'help', 'tasks', 'readiness'].map((c) => catalog('en').describe[c as 'status']),
    );
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.bots[0].supportsFiles).toBe(true); // exports: the file consent card in the personal chat
    // findSent reads a delivery back in Microsoft Graph: the team's channel messages, a chat's messages.
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
      { name: 'ChatMessage.Read.Chat', type: 'Application' },
    ]);
    expect(manifest.webApplicationInfo.id).toBe(BOT_ID);
    expect(manifest.name.short).toBe('lv');
    for (const lang of ['fi', 'sv'] as const) {
      const loc = jsonOf(files[`${lang}.json`]);
      expect(loc.$schema).toBe('https://developer.microsoft.com/en-us/json-schemas/teams/v1.22/MicrosoftTeams.Localization.schema.json');
      expect(loc['name.short']).toBe('lv');
      expect(loc['description.short'].length).toBeLessThanOrEqual(80);
      expect(loc['description.full'].length).toBeLessThanOrEqual(4000);
      ['status', 'help', 'tasks', 'readiness'].forEach((c, i) => {
        expect(loc[`bots[0].commandLists[0].commands[${i}].title`]).toBe(c);
        const description = loc[`bots[0].commandLists[0].commands[${i}].description`];
        expect(description).toBe(catalog(lang).describe[c as 'status']);
        expect(description.length).toBeLessThanOrEqual(128);
      });
    }
    // The same inputs give the same bytes.
    const again = join(work, 'b.zip');
    buildTeamsPackage({ botId: BOT_ID, version: '1.2.3', sourceDir: join(ROOT, 'appPackage'), outFile: again });
    expect(readFileSync(again).equals(readFileSync(outFile))).toBe(true);
  });

  it('refuses the placeholder bot id and a malformed version', () => {
    const source = JSON.parse(readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8'));
    expect(source.bots[0].botId).toBe(PLACEHOLDER_BOT_ID);
    expect(() => packagedManifest(source, PLACEHOLDER_BOT_ID, '1.0.0')).toThrow(/Microsoft App ID/);
    expect(() => packagedManifest(source, 'not-a-guid', '1.0.0')).toThrow(/GUID/);
    expect(() => packagedManifest(source, BOT_ID, '1.0')).toThrow(/major\.minor\.patch/);
  });

  it('fails with a clear message without MICROSOFT_APP_ID', () => {
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development' };
    delete env.MICROSOFT_APP_ID;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'teams-package.ts')], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      stderr = String((e as { stderr?: string }).stderr);
    }
    expect(stderr).toContain('MICROSOFT_APP_ID is not set');
  });
});
