// The pieces of `npm run new`: a file name from a title, the next part number, and the text of a
// new part. The command line around them is scripts/new.ts.
import { stringify } from 'yaml';

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

/** A complete MDX file for a new part: frontmatter in the usual order, `draft: true`, a skeleton. */
export function partFile(part: NewPart): string {
  const frontmatter = stringify(
    {
      title: part.title,
      description: 'Vat in één of twee zinnen samen waar dit deel over gaat.',
      date: part.date,
      author: part.author,
      services: part.services,
      series: part.series,
      part: part.part,
      draft: true,
    },
    { lineWidth: 0 },
  );
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
