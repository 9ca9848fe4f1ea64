// `npm run preview-link -- <post> [--dagen N] [--build <folder>]`: prints a signed link to the
// preview of a draft or a scheduled post (docs/previews.md), as "Voorbeeld delen" under /stats/
// makes it. Signed with the server's secret (REEKS_SECRET, or the one kept beside the database) and
// made on the site's address (SITE_URL): run it with the server's environment. The post is named by
// its id, its file's name or its address, and must have a preview in the build: `current` when
// there is one (npm run publish), else dist/.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findPreview, findPublished, previewDays, previewDaysRange } from '../lib/previews.ts';
import { site } from '../site.config.ts';
import { formatDutchDateTime } from '../lib/dates.ts';
import { runCommand } from './command.ts';
import { ConfigError } from './config.ts';
import { previewLink } from './preview-links.ts';
import { loadPreviews } from './preview-route.ts';
import { loadKeys } from './secrets.ts';

const usage = `Use: npm run preview-link -- <deel> [--dagen ${previewDaysRange.min}-${previewDaysRange.max}] [--build <map>]`;

await runCommand((config) => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { dagen: { type: 'string' }, build: { type: 'string' } },
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. ${usage}`);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new ConfigError(`Name one draft or scheduled post. ${usage}`);
  const days = previewDays(values.dagen);
  if (days === undefined)
    throw new ConfigError(
      `--dagen must be a whole number from ${previewDaysRange.min} to ${previewDaysRange.max}, not "${values.dagen}".`,
    );
  const buildDir = values.build ?? (existsSync('current') ? 'current' : 'dist');
  if (!existsSync(`${buildDir}/server`))
    throw new ConfigError(`No build in ${buildDir}: run \`npm run build\` first, or name one with --build.`);
  const previews = loadPreviews(buildDir);
  const name = positionals[0]!;
  const entry = findPreview(previews.list, name);
  if (!entry) {
    const published = findPublished(previews.published, name);
    throw new ConfigError(
      published
        ? `"${name}" is published already: ${new URL(published, config.siteUrl).href}`
        : `"${name}" is no draft or scheduled post in ${buildDir} (${previews.list.length} there): check the name, or build again after saving it.`,
    );
  }
  const { url, expiresAt } = previewLink(loadKeys(config), config.siteUrl, entry.id, days);
  console.log(url);
  console.error(`${entry.title}: geldig tot ${formatDutchDateTime(expiresAt, site.timeZone)}.`);
});
