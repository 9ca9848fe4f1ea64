// A build folder as `npm start` serves it (`dist/`, or a release under `current`): its server
// code, its site manifest and its error pages, checked before a worker is started on it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ServerConfig } from './config.ts';
import type { SiteManifest } from './context.ts';
import { builtWithEditor } from './editor-settings.ts';

/** Where a build keeps its site manifest: beside the server code, out of the public files. */
export const siteManifestFile = (buildDir: string) => `${buildDir}/server/site-manifest.json`;

export const readSiteManifest = (buildDir: string) =>
  JSON.parse(readFileSync(siteManifestFile(buildDir), 'utf8')) as SiteManifest;

/** The build in `buildDir`, or a stop that says how to make one. */
export function checkBuild(buildDir: string, config: ServerConfig) {
  const entry = join(buildDir, 'server', 'entry.mjs');
  if (!existsSync(entry) || !existsSync(siteManifestFile(buildDir))) {
    throw new ConfigError(`No build in ${buildDir}: run \`npm run build\` first.`);
  }
  const manifest = readSiteManifest(buildDir);
  if (manifest.messageRetentionDays !== config.messageRetentionDays) {
    throw new ConfigError(
      `REEKS_MESSAGE_RETENTION_DAYS is ${config.messageRetentionDays}, but the privacy page of this build promises ${manifest.messageRetentionDays} days: ` +
        `set the same value for \`npm run build\` and \`npm start\`.`,
    );
  }
  const page = (name: string) => readFileSync(join(buildDir, 'client', name));
  return {
    entry,
    manifest,
    notFoundPage: page('404.html'),
    errorPage: page('500.html'),
    withEditor: builtWithEditor(buildDir),
  };
}
