// `npm run new` on fixture content: the file it writes passes the check and, once published,
// builds into the right place in the series.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureContent } from '../e2e/fixtures/content-tree.ts';
import { buildSite, removeTemporaryBuilds } from '../e2e/fixtures/build.ts';
import { validateContent } from '../src/lib/content-validation.ts';

function run(contentDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/new.ts', ...args], {
    env: { ...process.env, CONTENT_DIR: contentDir },
    encoding: 'utf8',
    input: '',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(removeTemporaryBuilds);

describe('npm run new', () => {
  it('creates the next part as a draft that builds into its place in the series', async () => {
    const dir = fixtureContent();
    const { status, output } = run(dir, '--series', 'testreeks', '--title', 'Het derde deel');
    expect(status).toBe(0);
    expect(output).toContain('Deel 3 van "testreeks" aangemaakt');

    const path = join(dir, 'posts/testreeks/het-derde-deel.mdx');
    const file = readFileSync(path, 'utf8');
    expect(file).toMatch(/^---\ntitle: Het derde deel\n/);
    expect(file).toContain(
      'author: anna-de-vries\nservices:\n  - testdienst\nseries: testreeks\npart: 3\ndraft: true\n',
    );
    expect(await validateContent(dir, { now: new Date() })).toEqual([]);

    writeFileSync(path, file.replace('draft: true', 'draft: false'));
    const build = buildSite(dir);
    expect(build.status).toBe(0);
    const page = readFileSync(join(build.outDir, 'client/testreeks/het-derde-deel/index.html'), 'utf8');
    expect(page).toContain('Deel 3 van 3');
    expect(page).toMatch(/<a href="\/testreeks\/tweede-deel\/" rel="prev"/);
  });

  it('refuses an unknown series and creates nothing', () => {
    const { status, output } = run(fixtureContent(), '--series', 'bestaat-niet', '--title', 'X');
    expect(status).toBe(1);
    expect(output).toContain('Onbekende reeks "bestaat-niet". Bekend: testreeks.');
  });

  it('never overwrites an existing file', () => {
    const dir = fixtureContent();
    const path = join(dir, 'posts/testreeks/tweede-deel.mdx');
    const before = readFileSync(path, 'utf8');
    const { status, output } = run(dir, '--series', 'testreeks', '--title', 'Tweede deel');
    expect(status).toBe(1);
    expect(output).toContain('bestaat al en blijft ongewijzigd');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('says which argument is missing when it cannot ask', () => {
    const { status, output } = run(fixtureContent(), '--series', 'testreeks');
    expect(status).toBe(1);
    expect(output).toContain('Geef --title op');
  });
});
