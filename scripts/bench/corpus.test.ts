import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateContent } from '../../src/lib/content-validation.ts';
import { writeCorpus } from './corpus.ts';

describe('writeCorpus', () => {
  it('writes valid content of the requested size with parts of about 700 words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reeks-corpus-'));
    const stats = writeCorpus(dir, 40);
    expect(stats.parts).toBe(40);
    expect(stats.words / stats.parts).toBeGreaterThan(600);
    expect(stats.words / stats.parts).toBeLessThan(800);
    expect(await validateContent(dir, { now: new Date() })).toEqual([]);
  });
});
