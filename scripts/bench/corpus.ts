// A synthetic content folder for benchmarks: realistic Dutch parts of about 700 words with
// headings, lists, links and the model figure, in series of 3 to 12 parts, each part on a few
// themes of its own. Seeded, so a size always gives the same corpus.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Stems that combine into Dutch compounds ("zaak" + "systeem" = "zaaksysteem"): a vocabulary of
// several thousand words, each part about a handful of themes, so that a search term is on some
// pages and not on all of them. "gemeente" stays on most pages, as it would on this site.
const stems = [
  'informatie',
  'beleid',
  'gegevens',
  'zaak',
  'klant',
  'burger',
  'inwoner',
  'wijk',
  'keten',
  'data',
  'proces',
  'systeem',
  'archief',
  'document',
  'privacy',
  'architectuur',
  'applicatie',
  'platform',
  'portaal',
  'loket',
  'formulier',
  'aanvraag',
  'vergunning',
  'uitkering',
  'belasting',
  'afval',
  'parkeer',
  'jeugd',
  'zorg',
  'onderwijs',
  'sport',
  'cultuur',
  'ruimte',
  'omgeving',
  'woning',
  'water',
  'energie',
  'klimaat',
  'verkeer',
  'subsidie',
  'project',
  'programma',
  'team',
  'afdeling',
  'directie',
  'budget',
  'contract',
  'leverancier',
  'inkoop',
  'kennis',
  'opleiding',
  'medewerker',
  'werk',
  'plan',
  'visie',
  'strategie',
  'regie',
  'netwerk',
  'sensor',
  'kaart',
  'register',
  'bron',
  'kwaliteit',
  'risico',
  'incident',
  'melding',
  'dienst',
  'beheer',
  'toezicht',
  'handhaving',
  'overleg',
  'rapport',
  'begroting',
  'advies',
  'onderzoek',
  'ontwerp',
];
const subjects = [
  'De gemeente',
  'Het college',
  'Een afdeling',
  'Het team',
  'De informatiemanager',
  'Een wijkteam',
  'De organisatie',
  'Elke medewerker',
  'De raad',
  'Een projectgroep',
];
const verbs = [
  'onderzoekt',
  'verbetert',
  'organiseert',
  'deelt',
  'vernieuwt',
  'bespreekt',
  'meet',
  'plant',
  'beschrijft',
  'toetst',
  'vereenvoudigt',
  'evalueert',
];
const endings = [
  'zodat inwoners sneller geholpen worden.',
  'met oog voor privacy en veiligheid.',
  'in kleine, overzichtelijke stappen.',
  'samen met de mensen die het werk doen.',
  'op basis van cijfers in plaats van aannames.',
  'en legt de keuzes vast.',
  'zonder de minder digitaal vaardige inwoner te vergeten.',
  'in de hele gemeente.',
  'voor de komende jaren.',
  'met de buurgemeenten.',
];
const topics = [
  'Dienstverlening',
  'Informatiebeleid',
  'Gegevens',
  'Samenwerking',
  'Architectuur',
  'Beveiliging',
  'Organisatie',
  'Cultuur',
  'Regie',
  'Innovatie',
];
const titleWords = ['Kansen', 'Lessen', 'Stappen', 'Keuzes', 'Gevolgen', 'Principes', 'Ervaringen', 'Vragen'];

export interface CorpusStats {
  parts: number;
  series: number;
  words: number;
}

/** Writes a corpus of `parts` parts into `dir` (content/ layout); returns what it wrote. */
export function writeCorpus(dir: string, parts: number, seed = 42): CorpusStats {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  // A part's themes: the stems most of its compounds are made of.
  let themes = stems.slice(0, 8);
  const word = () => (next() < 0.7 ? pick(themes) : pick(stems)) + (next() < 0.8 ? pick(stems) : '');
  const sentence = () => `${pick(subjects)} ${pick(verbs)} het ${word()} en de ${word()} ${pick(endings)}`;
  const paragraph = (sentences: number) => Array.from({ length: sentences }, sentence).join(' ');

  const authors = ['anna-de-vries', 'bram-jansen', 'carla-smit', 'daan-visser', 'eva-bakker'];
  const services = ['i-visie-en-beleid', 'informatiebeveiliging', 'dienstverlening', 'data-en-analyse'];
  for (const folder of ['authors', 'services', 'series', 'posts'])
    mkdirSync(join(dir, folder), { recursive: true });
  for (const id of authors) {
    const name = id
      .split('-')
      .map((w, i) => (i === 0 || i === 2 ? w[0]!.toUpperCase() + w.slice(1) : w))
      .join(' ');
    writeFileSync(
      join(dir, 'authors', `${id}.yaml`),
      `name: ${name}\nrole: Adviseur\nbio: ${sentence()}\nemail: ${id}@example.com\n`,
    );
  }
  for (const id of services) {
    writeFileSync(
      join(dir, 'services', `${id}.yaml`),
      `name: ${id.replace(/-/g, ' ')}\ndescription: ${sentence()}\n`,
    );
  }

  let written = 0;
  let words = 0;
  let seriesCount = 0;
  const start = Date.UTC(2015, 0, 1);
  while (written < parts) {
    seriesCount++;
    const seriesId = `reeks-${String(seriesCount).padStart(5, '0')}`;
    const length = Math.min(3 + Math.floor(next() * 10), parts - written);
    const author = pick(authors);
    const service = pick(services);
    writeFileSync(
      join(dir, 'series', `${seriesId}.yaml`),
      `title: ${pick(topics)} in de gemeente ${seriesCount}\ndescription: ${sentence()}\n`,
    );
    mkdirSync(join(dir, 'posts', seriesId), { recursive: true });
    for (let part = 1; part <= length; part++) {
      themes = Array.from({ length: 6 }, () => pick(stems));
      const date = new Date(start + (written * 86_400_000) / 4).toISOString().slice(0, 10);
      const title = `${pick(titleWords)} voor ${pick(topics).toLowerCase()}, deel ${part}`;
      const heading = () => word().replace(/^./, (letter) => letter.toUpperCase());
      const sections = Array.from(
        { length: 4 },
        () => `## ${heading()} in de praktijk\n\n${paragraph(6)}\n\n${paragraph(6)}`,
      );
      const body = [
        paragraph(5),
        sections[0],
        `- ${sentence()}\n- ${sentence()}\n- ${sentence()}`,
        sections[1],
        '<ModelFigure />',
        `Lees ook [het overzicht van de reeks](/${seriesId}/) en [de landelijke richtlijnen](https://www.example.com/richtlijnen).`,
        sections[2],
        sections[3],
      ].join('\n\n');
      words += body.split(/\s+/).length;
      writeFileSync(
        join(dir, 'posts', seriesId, `deel-${String(part).padStart(2, '0')}.mdx`),
        `---\ntitle: ${title}\ndescription: ${sentence()}\ndate: ${date}\nauthor: ${author}\nservices:\n  - ${service}\nseries: ${seriesId}\npart: ${part}\n---\n\n${body}\n`,
      );
      written++;
    }
  }
  return { parts: written, series: seriesCount, words };
}
