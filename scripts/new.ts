// `npm run new -- --series <id> --title "..."`: creates the next part of a series as a draft.
// Asks for what is missing when run in a terminal; never overwrites a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { idsIn, partsOf, readPosts } from '../src/lib/content-files.ts';
import { editorPath } from '../src/lib/content-validation.ts';
import { todayIn } from '../src/lib/dates.ts';
import { nextPartNumber, partFile, slugify } from '../src/lib/new-part.ts';
import { contentDir, site } from '../src/site.config.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    series: { type: 'string' },
    title: { type: 'string' },
    author: { type: 'string' },
    services: { type: 'string' },
  },
});

const knownSeries = idsIn(contentDir, 'series');

const prompt = process.stdin.isTTY
  ? createInterface({ input: process.stdin, output: process.stdout })
  : undefined;
async function ask(question: string, flag: string): Promise<string> {
  if (!prompt)
    fail(
      `Geef ${flag} op, bijvoorbeeld: npm run new -- --series digitale-transformatie --title "Titel van het deel"`,
    );
  return (await prompt.question(question)).trim();
}

const series = values.series ?? (await ask(`Reeks (${knownSeries.join(', ')}): `, '--series'));
if (!knownSeries.includes(series)) {
  fail(
    `Onbekende reeks "${series}". Bekend: ${knownSeries.join(', ') || '(geen)'}. Maak eerst ${editorPath(join(contentDir, 'series', `${series}.yaml`))} aan.`,
  );
}
const title = values.title ?? (await ask('Titel: ', '--title'));
if (!title) fail('Een deel heeft een titel nodig.');
const slug = slugify(title);
if (!slug) fail(`Van de titel "${title}" is geen bestandsnaam te maken. Gebruik letters of cijfers.`);

// Existing parts of the series, drafts included: they decide the number and the defaults.
const parts = partsOf(readPosts(contentDir), series);
const latest = parts.at(-1);

const author =
  values.author ??
  latest?.author ??
  (await ask(`Auteur (${idsIn(contentDir, 'authors').join(', ')}): `, '--author'));
const services =
  values.services?.split(',').map((id) => id.trim()) ??
  latest?.services ??
  (
    await ask(
      `Diensten, gescheiden door komma's (${idsIn(contentDir, 'services').join(', ')}): `,
      '--services',
    )
  )
    .split(',')
    .map((id) => id.trim());
prompt?.close();

const part = nextPartNumber(parts.map((data) => data.part));
const folder = join(contentDir, 'posts', series);
const path = join(folder, `${slug}.mdx`);
mkdirSync(folder, { recursive: true });
try {
  writeFileSync(path, partFile({ title, date: todayIn(site.timeZone), author, services, series, part }), {
    flag: 'wx',
  });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
    fail(`${editorPath(path)} bestaat al en blijft ongewijzigd. Kies een andere titel.`);
  }
  throw error;
}

console.log(`Deel ${part} van "${series}" aangemaakt: ${editorPath(path)}
Het staat op draft: true. Bekijk het met npm run dev; controleer alles met npm run check.`);
