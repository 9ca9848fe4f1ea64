// Reads content files without Astro, for the tools around the site (`npm run new`, the browser
// editor, the content check, the search indexer's thread). Lenient on purpose: `npm run check`
// reports broken files; these only need what is there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const frontmatterBlock = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** The YAML between the opening and closing `---` of an MDX file, or undefined without one. */
export function frontmatterOf(mdx: string): string | undefined {
  return frontmatterBlock.exec(mdx)?.[1];
}

/** The text of an MDX file below its frontmatter. */
export const bodyOf = (mdx: string): string => mdx.replace(frontmatterBlock, '');

/** Ids in a data folder (authors, services, series): the YAML file names without extension. */
export function idsIn(contentDir: string, folder: string): string[] {
  const dir = join(contentDir, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => name.replace(/\.ya?ml$/, ''))
    .sort();
}

/** The YAML data of one entry in a data folder, or an empty object when it cannot be read. */
export function readData(contentDir: string, folder: string, id: string): Record<string, unknown> {
  for (const extension of ['yaml', 'yml']) {
    try {
      return parse(readFileSync(join(contentDir, folder, `${id}.${extension}`), 'utf8')) ?? {};
    } catch {
      // Not there or not readable: try the other extension, then give up.
    }
  }
  return {};
}

/** The text of every post file, drafts included. */
function readPostFiles(contentDir: string): string[] {
  const postsDir = join(contentDir, 'posts');
  if (!existsSync(postsDir)) return [];
  return readdirSync(postsDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.mdx'))
    .map((name) => readFileSync(join(postsDir, name), 'utf8'));
}

/** The frontmatter of every post, drafts included. */
export function readPosts(contentDir: string): Record<string, unknown>[] {
  return readPostFiles(contentDir).map((mdx) => {
    try {
      return parse(frontmatterOf(mdx) ?? '') ?? {};
    } catch {
      return {};
    }
  });
}

/** The text of every post below its frontmatter, drafts included. */
export const readPostBodies = (contentDir: string): string[] => readPostFiles(contentDir).map(bodyOf);

/** A part as its file says; only series and part are checked here (`npm run check` does the rest). */
export interface NumberedPost {
  series: string;
  part: number;
  author?: string;
  services?: string[];
}

/** The numbered parts of a series, drafts included, in part order. */
export function partsOf(posts: readonly Record<string, unknown>[], series: string): NumberedPost[] {
  return posts
    .filter(
      (data): data is Record<string, unknown> & NumberedPost =>
        data.series === series && Number.isInteger(data.part),
    )
    .sort((a, b) => a.part - b.part);
}
