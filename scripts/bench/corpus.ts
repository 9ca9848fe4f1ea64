// A synthetic content folder for benchmarks: realistic Dutch parts of about 700 words with
// headings, lists, links and the model figure, in series of 3 to 12 parts. Seeded, so a size
// always gives the same corpus.
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

const subjects = ['De gemeente', 'Het college', 'Een afdeling', 'Het team dienstverlening', 'De informatiemanager', 'Een wijkteam', 'De organisatie', 'Elke medewerker'];
const verbs = ['onderzoekt', 'verbetert', 'organiseert', 'deelt', 'vernieuwt', 'bespreekt', 'meet', 'plant'];
const objects = ['de digitale dienstverlening', 'het informatiebeleidsplan', 'de gegevens van inwoners', 'de samenwerking met ketenpartners', 'het zaakgericht werken', 'de informatiebeveiliging', 'de klantreis van ondernemers', 'het gebruik van open data', 'de architectuur van de applicaties', 'de regie op leveranciers'];
const endings = ['zodat inwoners sneller geholpen worden.', 'met oog voor privacy en veiligheid.', 'in kleine, overzichtelijke stappen.', 'samen met de mensen die het werk doen.', 'op basis van cijfers in plaats van aannames.', 'en legt de keuzes vast in het plan.', 'zonder de minder digitaal vaardige inwoner te vergeten.', 'waarbij de inwoner centraal staat.'];
const topics = ['Dienstverlening', 'Informatiebeleid', 'Gegevens', 'Samenwerking', 'Architectuur', 'Beveiliging', 'Organisatie', 'Cultuur', 'Regie', 'Innovatie'];
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
  const sentence = () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(endings)}`;
  const paragraph = (sentences: number) => Array.from({ length: sentences }, sentence).join(' ');

  const authors = ['anna-de-vries', 'bram-jansen', 'carla-smit', 'daan-visser', 'eva-bakker'];
  const services = ['i-visie-en-beleid', 'informatiebeveiliging', 'dienstverlening', 'data-en-analyse'];
  for (const folder of ['authors', 'services', 'series', 'posts']) mkdirSync(join(dir, folder), { recursive: true });
  for (const id of authors) {
    const name = id.split('-').map((w, i) => (i === 0 || i === 2 ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
    writeFileSync(join(dir, 'authors', `${id}.yaml`), `name: ${name}\nrole: Adviseur\nbio: ${sentence()}\nemail: ${id}@example.com\n`);
  }
  for (const id of services) {
    writeFileSync(join(dir, 'services', `${id}.yaml`), `name: ${id.replace(/-/g, ' ')}\ndescription: ${sentence()}\n`);
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
    writeFileSync(join(dir, 'series', `${seriesId}.yaml`), `title: ${pick(topics)} in de gemeente ${seriesCount}\ndescription: ${sentence()}\n`);
    mkdirSync(join(dir, 'posts', seriesId), { recursive: true });
    for (let part = 1; part <= length; part++) {
      const date = new Date(start + (written * 86_400_000) / 4).toISOString().slice(0, 10);
      const title = `${pick(titleWords)} voor ${pick(topics).toLowerCase()}, deel ${part}`;
      const sections = topics.slice(0, 4).map((topic) => `## ${topic} in de praktijk\n\n${paragraph(6)}\n\n${paragraph(6)}`);
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
