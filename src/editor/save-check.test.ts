import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';
import { problemsAddedBy } from './save-check.ts';

const now = new Date('2026-11-29T12:00:00Z');
const text = (value: string) => new TextEncoder().encode(value);
const part = (fields: string) =>
  text(
    `---\ntitle: Derde deel\ndescription: x\ndate: 2021-03-10\nauthor: anna-de-vries\nservices:\n  - testdienst\nseries: testreeks\n${fields}---\nTekst.\n`,
  );

describe('problemsAddedBy', () => {
  it('accepts a valid new part and leaves the content folder alone', async () => {
    const dir = fixtureContent();
    const change = {
      additions: [{ path: 'posts/testreeks/derde-deel.mdx', contents: part('part: 3\ndraft: false\n') }],
      deletions: [],
    };
    expect(await problemsAddedBy(dir, change, now)).toEqual([]);
    expect(() => readFileSync(join(dir, 'posts/testreeks/derde-deel.mdx'))).toThrow();
  });

  it('reports what a save would break, with the paths of the real content folder', async () => {
    const dir = fixtureContent();
    const change = {
      additions: [{ path: 'posts/testreeks/derde-deel.mdx', contents: part('part: 2\ndraft: false\n') }],
      deletions: [],
    };
    const problems = await problemsAddedBy(dir, change, now);
    expect(problems.map((problem) => [problem.file, problem.field])).toEqual([
      [join(dir, 'posts/testreeks/derde-deel.mdx'), 'part'],
      [join(dir, 'posts/testreeks/tweede-deel.mdx'), 'part'],
    ]);
    expect(problems[0]!.message).toContain(
      `bestaat twee keer: ${join(dir, 'posts/testreeks/derde-deel.mdx')} en ${join(dir, 'posts/testreeks/tweede-deel.mdx')}`,
    );
  });

  it('reports a deletion that leaves a reference without its file', async () => {
    const dir = fixtureContent();
    const problems = await problemsAddedBy(
      dir,
      { additions: [], deletions: [{ path: 'authors/anna-de-vries.yaml' }] },
      now,
    );
    expect(new Set(problems.map((problem) => problem.field))).toEqual(new Set(['author']));
  });

  it('does not blame a save for problems that were there before', async () => {
    const dir = fixtureContent('gap');
    const change = {
      additions: [
        {
          path: 'services/testdienst.yaml',
          contents: text('name: Testdienst\ndescription: Beter beschreven.\n'),
        },
      ],
      deletions: [],
    };
    expect(await problemsAddedBy(dir, change, now)).toEqual([]);
  });

  it('refuses a path outside the content folder', async () => {
    const change = { additions: [{ path: '../buiten.mdx', contents: text('x') }], deletions: [] };
    await expect(problemsAddedBy(fixtureContent(), change, now)).rejects.toThrow(
      'outside the content folder',
    );
  });
});
