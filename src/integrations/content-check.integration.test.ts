// The production build itself, run on fixture content: every editor mistake stops it with the
// file, the field and the value; valid content builds.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite as build, removeTemporaryBuilds } from '../../e2e/fixtures/build.ts';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';

afterAll(removeTemporaryBuilds);

describe('production build on bad content', () => {
  it.each([
    ['unknown-author', 'tweede-deel.mdx:5  author  onbekende auteur "onbekende-auteur"'],
    ['duplicate-part', 'ook-tweede.mdx:9  part  deel 2 van reeks "testreeks" bestaat twee keer'],
    ['gap', 'vierde-deel.mdx:9  part  deel 3 van reeks "testreeks" ontbreekt'],
    ['missing-title', 'tweede-deel.mdx:2  title  ontbreekt'],
    ['bad-date', 'tweede-deel.mdx:4  date  bestaat niet in de kalender'],
    [
      'script-injection',
      'tweede-deel.mdx:14  (tekst)  een on...-attribuut (zoals onclick) is niet toegestaan',
    ],
  ])('%s fails with the file, line, field and problem', (fixture, expected) => {
    const { status, output } = build(fixtureContent(fixture));
    expect(status).not.toBe(0);
    expect(output).toContain(expected);
  });

  it('names both files of a duplicate part', () => {
    const { output } = build(fixtureContent('duplicate-part'));
    expect(output).toMatch(/bestaat twee keer: \S*ook-tweede\.mdx en \S*tweede-deel\.mdx/);
  });
});

describe('production build on valid content', () => {
  it('builds every page of the fixture content', () => {
    const { status, output, outDir } = build(fixtureContent());
    expect(output).not.toContain('[ERROR]');
    expect(status).toBe(0);
    const page = readFileSync(join(outDir, 'client/testreeks/tweede-deel/index.html'), 'utf8');
    expect(page).toContain('Deel 2 van 2');
    // Part 2 has no sections, part 1 has three: only part 1 gets a table of contents.
    expect(page).not.toContain('In dit artikel');
    expect(readFileSync(join(outDir, 'client/testreeks/eerste-deel/index.html'), 'utf8')).toContain(
      'In dit artikel',
    );
    expect(existsSync(join(outDir, 'client/artikelen/los-artikel/index.html'))).toBe(true);
    expect(output).toContain('Indexed 3 articles for search');
    expect(existsSync(join(outDir, 'client/pagefind/pagefind-entry.json'))).toBe(true);
  });
});
