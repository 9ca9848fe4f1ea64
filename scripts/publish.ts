// `npm run publish`: the one command a server's timer runs each night, so that parts dated today
// go live. Builds the site into a new folder releases/<moment>/ and then points the link
// `current` at it in one atomic step; a running `npm start -- current` switches to it by itself
// within 1.5 s, or at once on SIGHUP (src/server/workers.ts).
// A build that fails (a content mistake, a full disk) switches nothing: the site stays as it was.
// The last three releases are kept, so a worker still finishing its requests on an older one keeps
// its files.
//
// Usage: npm run publish [-- --date YYYY-MM-DD] [--dir <folder>]
//   --date  build the site as it will be on that day (parts dated up to then); default today
//   --dir   where releases/ and current live; default the project folder. Must be inside the
//           project: the built server finds its packages in node_modules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publicationMoment } from '../src/environment.ts';

const keep = 3;

const { values } = parseArgs({
  options: { date: { type: 'string' }, dir: { type: 'string', default: '.' } },
});
try {
  publicationMoment(values.date);
} catch (error) {
  console.error((error as Error).message.replace('REEKS_NOW', '--date'));
  process.exit(2);
}

const root = resolve(values.dir);
const releases = join(root, 'releases');
const current = join(root, 'current');
mkdirSync(releases, { recursive: true });
// Sortable, and a valid folder name on every system.
const release = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(releases, release);

console.log(`Building release ${release}${values.date ? ` as on ${values.date}` : ''}…`);
const build = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', outDir], {
  env: { ...process.env, ...(values.date && { REEKS_NOW: values.date }), ASTRO_TELEMETRY_DISABLED: '1' },
  stdio: 'inherit',
});
if (build.status !== 0) {
  rmSync(outDir, { recursive: true, force: true });
  console.error(`Build failed: nothing published, ${current} is unchanged.`);
  process.exit(1);
}

// A new link renamed over the old one: readers' server never sees `current` missing.
const link = `${current}.${process.pid}`;
symlinkSync(join('releases', release), link);
renameSync(link, current);
console.log(
  `Published: ${current} → releases/${release}. A running \`npm start -- current\` switches to it within 1.5 s (at once on SIGHUP).`,
);

// Keep the newest releases, and always the one `current` points to.
const live = readlinkSync(current);
for (const old of readdirSync(releases).sort().reverse().slice(keep)) {
  if (join('releases', old) !== live) rmSync(join(releases, old), { recursive: true, force: true });
}
