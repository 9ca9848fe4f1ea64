// The pages of a build as the indexer names them: by their path as Astro names the pages it will
// build, and as files in the output folder (build.format "directory": <path>/index.html).
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** A page's address without its trailing slash, as Astro names the pages it will build. */
export const pathOf = (url: string) => url.replace(/\/+$/, '') || '/';

/** Every page in `pagesDir` by its path, with its URL and its file. */
export async function pagesIn(pagesDir: string): Promise<Map<string, { url: string; file: string }>> {
  const files = (await readdir(pagesDir, { recursive: true })).filter(
    (file) => file === 'index.html' || file.endsWith(`${sep}index.html`),
  );
  return new Map(
    files.map((file) => {
      const url = `/${file.slice(0, -'index.html'.length).split(sep).join('/')}`;
      return [pathOf(url), { url, file: join(pagesDir, file) }];
    }),
  );
}
