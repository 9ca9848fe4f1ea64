// Readers: the weight of a page as a browser receives it (gzip), on the real content.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchSection } from '../shared.ts';

export const section: BenchSection = {
  name: 'weight',
  title: 'Page weight',
  async run({ siteBuild }) {
    const siteDir = await siteBuild();
    const weightRows: string[] = [];
    for (const [name, path] of [
      ['part', 'digitale-transformatie/kansen-voor-de-dienstverlening/'],
      ['home', ''],
    ] as const) {
      const html = readFileSync(join(siteDir, 'client', path, 'index.html'));
      const assets = (pattern: RegExp) =>
        [...html.toString().matchAll(pattern)].map(
          ([, src]) => gzipSync(readFileSync(join(siteDir, 'client', src!))).length,
        );
      const css = assets(/<link rel="stylesheet" href="\/([^"]+)"/g).reduce((a, b) => a + b, 0);
      const js = assets(/<script[^>]+src="\/([^"]+)"/g).reduce((a, b) => a + b, 0);
      const page = gzipSync(html).length;
      weightRows.push(
        `| ${name} (/${path}) | ${(page / 1024).toFixed(1)} KB | ${(css / 1024).toFixed(1)} KB | ${(js / 1024).toFixed(1)} KB | ${((page + css + js) / 1024).toFixed(1)} KB |`,
      );
    }

    return `The real content as a browser receives it (gzip), before the reader opens search.

| page | HTML | CSS | JavaScript | total |
| --- | --- | --- | --- | --- |
${weightRows.join('\n')}
`;
  },
};
