import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTeamsPackage, writeIcons } from '../adapters/teams/package/app-package.js';
import { loadConfig } from '../src/config.js';

/**
 * `npm run teams:package`: writes dist/lv-bot-teams.zip, the app package to upload in Teams, with the
 * bot's MICROSOFT_APP_ID. `--icons` first redraws appPackage/color.png and outline.png.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function main(): void {
  const config = loadConfig();
  if (process.argv.includes('--icons')) writeIcons(join(ROOT, 'appPackage'));
  if (!config.MICROSOFT_APP_ID) {
    throw new Error(
      'MICROSOFT_APP_ID is not set: the package names the Azure bot it talks to. Set it to the "Microsoft App ID" of the Azure Bot resource, for example MICROSOFT_APP_ID=6d1f7a7e-2c3b-4f0e-9b1a-0c5d8e7f6a21 npm run teams:package',
    );
  }
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const outFile = join(ROOT, 'dist', 'lv-bot-teams.zip');
  const manifest = buildTeamsPackage({ botId: config.MICROSOFT_APP_ID, version, sourceDir: join(ROOT, 'appPackage'), outFile });
  process.stdout.write(
    `${relative(process.cwd(), outFile)}: Teams app ${String(manifest.id)} version ${manifest.version} for bot ${config.MICROSOFT_APP_ID}\n`,
  );
}

try {
  main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
