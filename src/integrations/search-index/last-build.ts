// The record of the last build, in the build's cache folder (search-index/): each page with a
// cache key and the hash of its HTML, each such page's article, and the last index with a digest
// of what it was made of. An incremental build reads it to hand kept pages over without waiting
// for them, and to copy the last index when nothing it depends on changed (docs/builds.md).
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { ExpectedPage, IndexedPage } from './page-order.ts';

/** A page with a cache key as the last build left it. */
export type PageRecord = IndexedPage & { key: string };

/** What a build leaves for the next one: each page with a cache key, by path. */
type BuildRecord = { [path: string]: PageRecord };

export const sha256 = (...texts: string[]) =>
  texts.reduce((hash, text) => hash.update(text).update('\0'), createHash('sha256')).digest('hex');

export class LastBuild {
  readonly #folder: string;
  readonly #pages: Map<string, PageRecord>;
  readonly #articles: string;
  readonly #storing: Promise<void>[] = [];

  private constructor(folder: string, pages: Map<string, PageRecord>) {
    this.#folder = folder;
    this.#pages = pages;
    this.#articles = join(folder, 'articles');
  }

  /**
   * Reads what the last build left and removes it: a build that stops before its end leaves none,
   * so the next build never takes a page for one it did not make.
   */
  static async take(cacheDir: string): Promise<LastBuild> {
    const folder = join(cacheDir, 'search-index');
    const file = join(folder, 'pages.json');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    await rm(file, { force: true });
    await mkdir(join(folder, 'articles'), { recursive: true });
    return new LastBuild(folder, new Map(Object.entries(text ? (JSON.parse(text) as BuildRecord) : {})));
  }

  /** The page at `path` as the last build made it, if it had the same cache key. */
  sameAs(path: string, key: string | undefined): PageRecord | undefined {
    const page = this.#pages.get(path);
    return page && page.key === key ? page : undefined;
  }

  /** Whether every page with a key has the key the last build left, and no other page has one. */
  unchanged(pages: readonly ExpectedPage[]): boolean {
    const keyed = pages.filter(({ key }) => key !== undefined);
    return keyed.length === this.#pages.size && keyed.every(({ path, key }) => this.sameAs(path, key));
  }

  articleFile(hash: string) {
    return join(this.#articles, `${hash}.html`);
  }

  /** The hashes of the articles stored now. */
  async storedArticles(): Promise<Set<string>> {
    return new Set((await readdir(this.#articles)).map((file) => file.replace(/\.html$/, '')));
  }

  /** Keeps a page's article for the next build, unless it is kept already. */
  storeArticle(hash: string, page: string) {
    this.#storing.push(writeFile(this.articleFile(hash), page, { flag: 'wx' }).catch(() => {}));
  }

  /** Copies the last index into `outputPath` when it was made of what `digest` says. */
  async reuseIndex(digest: string, outputPath: string): Promise<boolean> {
    if ((await readFile(join(this.#folder, 'digest'), 'utf8').catch(() => '')) !== digest) return false;
    await linkTree(join(this.#folder, 'pagefind'), outputPath);
    return true;
  }

  /** Keeps the index just written, made of what `digest` says, for the next build. */
  async saveIndex(digest: string, outputPath: string) {
    await rm(join(this.#folder, 'pagefind'), { recursive: true, force: true });
    await linkTree(outputPath, join(this.#folder, 'pagefind'));
    await writeFile(join(this.#folder, 'digest'), digest);
  }

  /** Leaves the next build each page with a cache key, and the articles of those pages only. */
  async keep(keys: Map<string, string | undefined>, pages: Map<string, IndexedPage>) {
    await Promise.all(this.#storing);
    const next: BuildRecord = {};
    for (const [path, key] of keys) {
      const page = pages.get(path);
      if (page && key !== undefined) next[path] = { ...page, key };
    }
    const hashes = new Set(Object.values(next).map((page) => `${page.hash}.html`));
    for (const file of await readdir(this.#articles))
      if (!hashes.has(file)) await rm(join(this.#articles, file));
    await writeFile(join(this.#folder, 'pages.json'), JSON.stringify(next));
  }

  /** Waits for the articles being stored (a build that ends with problems keeps no record). */
  async stored() {
    await Promise.all(this.#storing);
  }
}

/**
 * Copies the folder `from` to `to` by hard links where it can, else by copying: an index has a
 * thousand files and more, and neither copy is ever changed in place (a build writes a new one).
 */
async function linkTree(from: string, to: string) {
  for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const file = join(entry.parentPath, entry.name);
    const copy = join(to, relative(from, file));
    await mkdir(dirname(copy), { recursive: true });
    await link(file, copy).catch(() => copyFile(file, copy));
  }
}
