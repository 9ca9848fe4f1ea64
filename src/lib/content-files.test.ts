import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPostBodies } from './content-files.ts';

describe('readPostBodies', () => {
  it('reads the text below the frontmatter of every post, in folders too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reeks-bodies-'));
    mkdirSync(join(dir, 'posts', 'reeks'), { recursive: true });
    writeFileSync(join(dir, 'posts', 'los.mdx'), '---\ntitle: Los\n---\n\nEen losse tekst.\n');
    writeFileSync(
      join(dir, 'posts', 'reeks', 'deel.mdx'),
      '---\r\ntitle: Deel\r\n---\r\nHet informatiebeleidsplan.\r\n',
    );
    writeFileSync(join(dir, 'posts', 'notities.txt'), 'geen post');
    expect(readPostBodies(dir).sort()).toEqual(['\nEen losse tekst.\n', 'Het informatiebeleidsplan.\r\n']);
  });

  it('is empty without a posts folder', () => {
    expect(readPostBodies(mkdtempSync(join(tmpdir(), 'reeks-bodies-')))).toEqual([]);
  });
});
