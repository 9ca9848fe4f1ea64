import { describe, expect, it } from 'vitest';
import { failureLines } from './publish-release.ts';

describe('the lines of a failed build', () => {
  it("are the content check's lines when it found mistakes", () => {
    const output = [
      '\x1b[2m10:00:01\x1b[22m \x1b[34m[build]\x1b[39m output: "server"',
      '[AstroError] De inhoud bevat 2 fouten:',
      'posts/testreeks/vierde-deel.mdx:1  title  Verplicht veld ontbreekt.',
      'posts/testreeks/vierde-deel.mdx:5  part  Deel 4 bestaat al.',
      '  Hint:',
      '    Herstel de fouten hierboven en bouw opnieuw.',
    ].join('\n');
    expect(failureLines(output)).toEqual([
      'De inhoud bevat 2 fouten:',
      'posts/testreeks/vierde-deel.mdx:1  title  Verplicht veld ontbreekt.',
      'posts/testreeks/vierde-deel.mdx:5  part  Deel 4 bestaat al.',
    ]);
  });

  it('are the lines that name an error otherwise, or the last lines', () => {
    expect(failureLines('building…\nENOSPC: no space left on device, write\n')).toEqual([
      'ENOSPC: no space left on device, write',
    ]);
    const long = Array.from({ length: 30 }, (_, n) => `regel ${n}`).join('\n');
    expect(failureLines(long)).toHaveLength(15);
    expect(failureLines(long).at(-1)).toBe('regel 29');
  });
});
