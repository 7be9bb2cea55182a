import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { catalog } from '../../../messages/i18n.js';
import type { Lang } from '../../../src/domain/types.js';
import { colorIcon, outlineIcon } from './icons.js';
import { encodePng } from './png.js';

/**
 * The Teams app package: appPackage/manifest.json with the bot's app id and the app version filled in,
 * the command descriptions taken from the message catalogue (English in the manifest, Finnish and
 * Swedish in the localization files), and the two icons, zipped flat as Teams expects.
 */

/** The commands Teams suggests when someone types @lv, in this order. */
export const SUGGESTED_COMMANDS = ['status', 'help', 'tasks', 'readiness'] as const;

/** The placeholder bot id in the checked-in manifest; a package with it would reach no bot. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export interface PackageOptions {
  /** The Azure bot's Microsoft App ID (MICROSOFT_APP_ID). */
  botId: string;
  /** The app version, `major.minor.patch` (package.json's version). */
  version: string;
  /** Where manifest.json, fi.json and sv.json are (appPackage/). */
  sourceDir: string;
  /** The zip to write (dist/lv-bot-teams.zip). */
  outFile: string;
}

/** Writes the icons into appPackage/ (they are checked in; run again after changing icons.ts). */
export function writeIcons(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'color.png'), encodePng(colorIcon()));
  writeFileSync(join(dir, 'outline.png'), encodePng(outlineIcon()));
}

/** The manifest's JSON: the parts the packager fills in, and whatever else the source holds. */
interface Manifest {
  version?: string;
  bots?: Array<{ botId?: string; scopes: string[]; commandLists?: unknown }>;
  webApplicationInfo?: { id?: string };
  icons?: { color: string; outline: string };
  localizationInfo?: { additionalLanguages?: Array<{ languageTag: string; file: string }> };
  [key: string]: unknown;
}
type Json = Manifest;

/** The manifest as packaged: bot id (also as webApplicationInfo.id), version and the catalogue's command descriptions filled in. */
export function packagedManifest(source: Json, botId: string, version: string): Json {
  if (!GUID.test(botId) || botId === PLACEHOLDER_BOT_ID)
    throw new Error(`The bot id must be the Azure bot's Microsoft App ID (a GUID), not "${botId}"`);
  if (!SEMVER.test(version)) throw new Error(`The app version must be major.minor.patch, not "${version}"`);
  const manifest = structuredClone(source);
  manifest.version = version;
  const bot = manifest.bots?.[0];
  if (!bot) throw new Error('appPackage/manifest.json has no bot');
  bot.botId = botId;
  // The RSC permissions (reading a delivery back in Graph) are granted to this Entra app: the bot's own.
  if (manifest.webApplicationInfo) manifest.webApplicationInfo.id = botId;
  const en = catalog('en');
  bot.commandLists = [{ scopes: [...bot.scopes], commands: SUGGESTED_COMMANDS.map((c) => ({ title: c, description: en.describe[c] })) }];
  return manifest;
}

/** A localization file with the catalogue's command descriptions in that language. */
export function packagedLocalization(source: Json, lang: Lang): Json {
  const t = catalog(lang);
  const out: Json = { ...source };
  SUGGESTED_COMMANDS.forEach((c, i) => {
    out[`bots[0].commandLists[0].commands[${i}].title`] = c;
    out[`bots[0].commandLists[0].commands[${i}].description`] = t.describe[c];
  });
  return out;
}

/** Builds the zip and returns the manifest it holds. */
export function buildTeamsPackage(opts: PackageOptions): Json {
  const read = (name: string) => readFileSync(join(opts.sourceDir, name));
  const source = JSON.parse(read('manifest.json').toString('utf8')) as Json;
  const manifest = packagedManifest(source, opts.botId, opts.version);
  const files: Record<string, Uint8Array> = {
    'manifest.json': json(manifest),
  };
  if (!manifest.icons) throw new Error('appPackage/manifest.json names no icons');
  files[manifest.icons.color] = read(manifest.icons.color);
  files[manifest.icons.outline] = read(manifest.icons.outline);
  for (const extra of manifest.localizationInfo?.additionalLanguages ?? []) {
    const lang = extra.languageTag.slice(0, 2) as Lang;
    files[extra.file] = json(packagedLocalization(JSON.parse(read(extra.file).toString('utf8')) as Json, lang));
  }
  // A fixed timestamp keeps the zip byte-identical for the same inputs.
  const zip = zipSync(
    Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime: new Date('2026-01-01T00:00:00Z') }]])),
    { level: 9 },
  );
  mkdirSync(dirname(opts.outFile), { recursive: true });
  writeFileSync(opts.outFile, zip);
  return manifest;
}

function json(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
