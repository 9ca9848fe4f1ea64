// The production build itself, run on fixture content: every editor mistake stops it with the
// file, the field and the value; valid content builds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';

const outDirs: string[] = [];
afterAll(() => outDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function build(contentDir: string) {
  // Inside the project, so the built server can resolve its packages from node_modules.
  const cache = join('node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'reeks-dist-'));
  outDirs.push(outDir);
  const result = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', outDir], {
    env: { ...process.env, CONTENT_DIR: contentDir, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, outDir };
}

describe('production build on bad content', () => {
  it.each([
    ['unknown-author', 'tweede-deel.mdx:5  author  onbekende auteur "onbekende-auteur"'],
    ['duplicate-part', 'ook-tweede.mdx:9  part  deel 2 van reeks "testreeks" bestaat twee keer'],
    ['gap', 'vierde-deel.mdx:9  part  deel 3 van reeks "testreeks" ontbreekt'],
    ['missing-title', 'tweede-deel.mdx:2  title  ontbreekt'],
    ['bad-date', 'tweede-deel.mdx:4  date  bestaat niet in de kalender'],
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
    expect(existsSync(join(outDir, 'client/artikelen/los-artikel/index.html'))).toBe(true);
    expect(output).toContain('Indexed 3 articles for search');
    expect(existsSync(join(outDir, 'client/pagefind/pagefind-entry.json'))).toBe(true);
  });
});
