// Preview images: drawn by the server on the first request for a page, then read from the cache.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../../e2e/fixtures/server.ts';
import { ogImageCacheFile, type OgCard } from '../../../src/server/og-image.ts';
import { work, type BenchSection } from '../shared.ts';

export const section: BenchSection = {
  name: 'previews',
  title: 'Preview images',
  async run({ siteBuild }) {
    const siteDir = await siteBuild();
    const previewRows: string[] = [];
    {
      const cards: Record<string, OgCard> = JSON.parse(
        readFileSync(join(siteDir, 'server', 'site-manifest.json'), 'utf8'),
      ).ogCards;
      const path = '/digitale-transformatie/kansen-voor-de-dienstverlening/';
      rmSync(ogImageCacheFile(cards[path]!), { force: true });
      const server = await startServer(siteDir, { REEKS_DB_PATH: join(work, 'preview.db') });
      try {
        for (const label of ['first request (drawn)', 'second request (cache)']) {
          const started = performance.now();
          const response = await fetch(`${server.url}/og${path.replace(/\/$/, '')}.png`);
          const bytes = (await response.arrayBuffer()).byteLength;
          if (response.status !== 200) throw new Error(`preview image: ${response.status}`);
          previewRows.push(
            `| ${label} | ${(performance.now() - started).toFixed(0)} ms | ${(bytes / 1024).toFixed(0)} KB |`,
          );
        }
      } finally {
        await server.stop();
      }
    }

    return `The 1200×630 Open Graph image of a part, asked of \`npm start\` on loopback.

| request | time | size |
| --- | --- | --- |
${previewRows.join('\n')}
`;
  },
};
