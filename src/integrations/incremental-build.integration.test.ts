// Incremental builds (docs/builds.md), each a real production build of fixture content after an
// earlier one: a kept page must never be stale. After every change the output, search index
// included, must be the very output a full build of the same content makes, and the change must
// show where a reader looks for it. Slow (ten builds), so in a file of its own.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, removeTemporaryBuilds } from '../../e2e/fixtures/build.ts';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';

/** Builds take long on a busy machine; no test here waits on a timer. */
const buildTimeout = 600_000;

let contentDir: string;
let outDir: string;
const referenceContentDirs: string[] = [];

function build(dir: string, into?: string) {
  const result = buildSite(dir, into, 'pipe', { force: false });
  expect(result.output).not.toContain('[ERROR]');
  expect(result.status, result.output).toBe(0);
  return result;
}

/** A full build of what `contentDir` holds now: a copy elsewhere, which has no earlier build. */
function fullBuild() {
  const copy = mkdtempSync(join(tmpdir(), 'reeks-content-'));
  cpSync(contentDir, copy, { recursive: true });
  referenceContentDirs.push(copy);
  const result = build(copy);
  // Astro names each page it keeps "(restored)": a full build keeps none.
  expect(result.output).not.toMatch(/\((restored|cached)\)/);
  return result.outDir;
}

/** security.txt expires a fixed time after the day of each build: builds on two days differ there. */
const withoutExpiry = (path: string, file: Buffer) =>
  path === join('.well-known', 'security.txt')
    ? Buffer.from(file.toString('utf8').replace(/^Expires: .*$/m, 'Expires: (each build its own)'))
    : file;

/** Every file of the site (client/), by path. */
function files(dir: string): Map<string, Buffer> {
  const root = join(dir, 'client');
  const entries = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) =>
    entry.isFile(),
  );
  return new Map(
    entries.map((entry) => {
      const path = relative(root, join(entry.parentPath, entry.name));
      return [path, withoutExpiry(path, readFileSync(join(entry.parentPath, entry.name)))];
    }),
  );
}

/** The paths of files that are not the same in both builds (missing in one of them, or different). */
function differences(a: string, b: string): string[] {
  const [left, right] = [files(a), files(b)];
  const paths = new Set([...left.keys(), ...right.keys()]);
  return [...paths]
    .filter((path) => !left.get(path)?.equals(right.get(path) ?? Buffer.alloc(0)) || !right.has(path))
    .sort();
}

const page = (path: string) => readFileSync(join(outDir, 'client', path, 'index.html'), 'utf8');

/** What search has for each page: Pagefind's fragments, gzipped JSON after a signature. */
function searchDocuments(): Map<string, { content: string; meta: Record<string, string> }> {
  const dir = join(outDir, 'client', 'pagefind', 'fragment');
  const documents = readdirSync(dir).map((file) =>
    JSON.parse(
      gunzipSync(readFileSync(join(dir, file)))
        .toString('utf8')
        .replace(/^pagefind_dcd/, ''),
    ),
  );
  return new Map(documents.map((document) => [document.url, document]));
}

const post = (path: string) => join(contentDir, 'posts', path);

beforeAll(() => {
  contentDir = fixtureContent();
  outDir = build(contentDir).outDir;
}, buildTimeout);

afterAll(() => {
  removeTemporaryBuilds();
  for (const dir of [contentDir, ...referenceContentDirs]) rmSync(dir, { recursive: true, force: true });
});

describe('a second build', () => {
  it(
    'with nothing changed keeps every page with a key and gives the same output, search index included',
    () => {
      const first = join(tmpdir(), `reeks-first-${process.pid}`);
      cpSync(outDir, first, { recursive: true });
      try {
        const { output } = build(contentDir, outDir);
        // Three parts and posts, the series, the author and the service.
        expect(output.match(/\(restored\)/g)).toHaveLength(6);
        expect(output).toContain('(the last index, nothing it is made of changed');
        expect(differences(first, outDir)).toEqual([]);
      } finally {
        rmSync(first, { recursive: true, force: true });
      }
    },
    buildTimeout,
  );

  it(
    "after one part's text changed shows the new text on that page and in search, and keeps the other part",
    () => {
      const file = post('testreeks/tweede-deel.mdx');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'Tekst van Tweede deel',
          'Tekst over zwaluwstaartverbindingen in Tweede deel',
        ),
      );
      const { output } = build(contentDir, outDir);
      expect(output).toMatch(/\/testreeks\/eerste-deel\/index\.html \(restored\)/);
      expect(page('testreeks/tweede-deel')).toContain('Tekst over zwaluwstaartverbindingen in Tweede deel');
      expect(searchDocuments().get('/testreeks/tweede-deel/')?.content).toContain('zwaluwstaartverbindingen');
      expect(differences(fullBuild(), outDir)).toEqual([]);
    },
    buildTimeout,
  );

  it(
    "after the author's name changed shows the new name on every page of that author",
    () => {
      const file = join(contentDir, 'authors', 'anna-de-vries.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('name: Anna de Vries', 'name: Anna van Dijk'));
      build(contentDir, outDir);
      for (const path of ['testreeks/eerste-deel', 'testreeks/tweede-deel', 'artikelen/los-artikel']) {
        expect(page(path), path).toMatch(/rel="author"[^>]*>Anna van Dijk</);
        expect(page(path), path).not.toMatch(/rel="author"[^>]*>Anna de Vries</);
      }
      // The contact block under a part, and the author's own page.
      expect(page('testreeks/eerste-deel')).toMatch(
        /<span class="block font-semibold">Anna van Dijk<\/span>/,
      );
      expect(page('auteurs/anna-de-vries')).toMatch(/<h1[^>]*>Anna van Dijk<\/h1>/);
      expect(searchDocuments().get('/testreeks/tweede-deel/')?.content).not.toContain('Anna de Vries');
      expect(differences(fullBuild(), outDir)).toEqual([]);
    },
    buildTimeout,
  );

  it(
    'after a new part was added links to it from the part before, lists it on the series page and counts it on every part',
    () => {
      writeFileSync(
        post('testreeks/derde-deel.mdx'),
        readFileSync(post('testreeks/tweede-deel.mdx'), 'utf8')
          .replaceAll('Tweede deel', 'Derde deel')
          .replace('date: 2021-02-10', 'date: 2021-03-10')
          .replace('part: 2', 'part: 3'),
      );
      build(contentDir, outDir);
      expect(page('testreeks/tweede-deel')).toMatch(/<a href="\/testreeks\/derde-deel\/" rel="next"/);
      expect(page('testreeks')).toContain('Reeks in 3 delen');
      expect(page('testreeks')).toContain('href="/testreeks/derde-deel/"');
      for (const [part, path] of [
        [1, 'testreeks/eerste-deel'],
        [2, 'testreeks/tweede-deel'],
        [3, 'testreeks/derde-deel'],
      ] as const) {
        expect(page(path), path).toContain(`Deel ${part} van 3`);
      }
      expect(searchDocuments().get('/testreeks/derde-deel/')?.meta.title).toBe('Derde deel');
      expect(differences(fullBuild(), outDir)).toEqual([]);
    },
    buildTimeout,
  );

  it(
    'after a part was deleted has neither its page nor its search entry',
    () => {
      rmSync(post('testreeks/derde-deel.mdx'));
      build(contentDir, outDir);
      expect(existsSync(join(outDir, 'client', 'testreeks', 'derde-deel'))).toBe(false);
      expect(searchDocuments().has('/testreeks/derde-deel/')).toBe(false);
      expect(page('testreeks/tweede-deel')).not.toContain('/testreeks/derde-deel/');
      expect(page('testreeks/tweede-deel')).toContain('Deel 2 van 2');
      expect(differences(fullBuild(), outDir)).toEqual([]);
    },
    buildTimeout,
  );
});
