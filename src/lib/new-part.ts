// The pieces of `npm run new`: a file name from a title, the next part number, and the text of a
// new part. The command line around them is scripts/new.ts; the browser editor uses slugify too.
import { dump } from 'js-yaml';

/** "Gevolgen voor de I&A-organisatie" → "gevolgen-voor-de-i-en-a-organisatie" */
export function slugify(title: string): string {
  return title
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' en ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** One past the highest number in use, drafts included, so a new part never collides. */
export function nextPartNumber(numbers: readonly number[]): number {
  return numbers.length === 0 ? 1 : Math.max(...numbers) + 1;
}

export interface NewPart {
  title: string;
  date: string;
  author: string;
  services: string[];
  series: string;
  part: number;
}

/**
 * A calendar day as Keystatic hands it to js-yaml: a date that prints as the day alone, so the
 * YAML reads `date: 2020-04-21`, unquoted.
 */
const yamlDay = (day: string) => Object.assign(new Date(day), { toISOString: () => day });

/**
 * A complete MDX file for a new part: `draft: true` and a skeleton, written exactly as the browser
 * editor (Keystatic) writes files: js-yaml with its defaults, keys in the schema's order, the text
 * right after the closing `---`. A later save in the editor then changes nothing it did not edit.
 */
export function partFile(part: NewPart): string {
  const frontmatter = dump({
    title: part.title,
    description: 'Vat in één of twee zinnen samen waar dit deel over gaat.',
    date: yamlDay(part.date),
    author: part.author,
    services: part.services,
    series: part.series,
    part: part.part,
    draft: true,
  });
  return `---
${frontmatter}---
Begin met een korte inleiding: waar gaat dit deel over, en waarom is het belangrijk voor de lezer?

## Eerste tussenkop

Schrijf hier de eerste sectie.

## Tweede tussenkop

Schrijf hier de tweede sectie.

## Tot slot

Sluit af met de belangrijkste conclusie, en kondig eventueel het volgende deel aan.
`;
}
