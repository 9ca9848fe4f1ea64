// Previews in incremental builds (docs/previews.md, docs/builds.md): each a real production build
// of fixture content. A draft's preview is in the server's folder and nowhere in the public files;
// a changed draft gets a new preview, an unchanged one is kept; a draft published is a page.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSite, removeTemporaryBuilds } from '../../e2e/fixtures/build.ts';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';
import { previewKey, type PreviewIndex } from '../lib/previews.ts';

const buildTimeout = 600_000;
const draftId = 'testreeks/derde-deel';
const key = previewKey(draftId);
let contentDir: string;
let outDir: string;

function build() {
  const result = buildSite(contentDir, outDir, 'pipe', { force: false });
  expect(result.output).not.toContain('[ERROR]');
  expect(result.status, result.output).toBe(0);
  outDir = result.outDir;
  return result.output;
}

function writeDraft(body: string, draft = true) {
  writeFileSync(
    join(contentDir, 'posts', 'testreeks', 'derde-deel.mdx'),
    [
      '---',
      'title: Derde deel in de maak',
      'description: Een concept.',
      'date: 2021-03-10',
      'author: anna-de-vries',
      'services:',
      '  - testdienst',
      'series: testreeks',
      'part: 3',
      `draft: ${draft}`,
      '---',
      '',
      body,
      '',
    ].join('\n'),
  );
}

const previewIndex = () =>
  JSON.parse(readFileSync(join(outDir, 'server', 'previews', 'index.json'), 'utf8')) as PreviewIndex;
const preview = () => readFileSync(join(outDir, 'server', 'previews', `${key}.html`), 'utf8');

/** The public files that hold `word`. */
function publicFilesWith(word: string): string[] {
  const root = join(outDir, 'client');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file).includes(word));
}

beforeAll(() => {
  contentDir = fixtureContent();
  writeDraft('Eerste versie over de kwartelkoning.');
  build();
}, buildTimeout);

afterAll(() => {
  removeTemporaryBuilds();
  rmSync(contentDir, { recursive: true, force: true });
});

it('a draft has its preview beside the server code, and no public file holds it', () => {
  expect(previewIndex().previews.map((entry) => entry.id)).toEqual([draftId]);
  expect(preview()).toContain('kwartelkoning');
  expect(preview()).toContain('Voorbeeld, nog niet gepubliceerd');
  expect(preview()).toContain('Deel 3 van 3');
  expect(previewIndex().policies?.[key]).toContain("script-src 'self'");
  expect(publicFilesWith('kwartelkoning')).toEqual([]);
  expect(publicFilesWith('voorbeeld-bouw')).toEqual([]);
});

it(
  'an unchanged draft keeps its preview; a changed one gets a new one',
  () => {
    const kept = build();
    expect(kept).toMatch(new RegExp(`/voorbeeld-bouw/${key}/index\\.html \\((restored|cached)\\)`));
    expect(preview()).toContain('kwartelkoning');

    writeDraft('Tweede versie over de roerdomp.');
    const changed = build();
    expect(changed).not.toMatch(new RegExp(`/voorbeeld-bouw/${key}/index\\.html \\((restored|cached)\\)`));
    expect(changed).toMatch(/\/testreeks\/eerste-deel\/index\.html \(restored\)/);
    expect(preview()).toContain('roerdomp');
    expect(preview()).not.toContain('kwartelkoning');
    expect(publicFilesWith('roerdomp')).toEqual([]);
  },
  buildTimeout,
);

it(
  'a draft published has its page and no preview any more',
  () => {
    writeDraft('Tweede versie over de roerdomp.', false);
    build();
    expect(previewIndex().previews).toEqual([]);
    expect(previewIndex().published[draftId]).toBe('/testreeks/derde-deel/');
    expect(readdirSync(join(outDir, 'server', 'previews'))).toEqual(['index.json']);
    expect(readFileSync(join(outDir, 'client', 'testreeks', 'derde-deel', 'index.html'), 'utf8')).toContain(
      'roerdomp',
    );
  },
  buildTimeout,
);
