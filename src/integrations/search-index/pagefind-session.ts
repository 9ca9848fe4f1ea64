// The Pagefind session of one build: Pagefind runs as a process of its own, indexing each article
// as it is handed over, and cannot take a page back. When pages handed over early turn out to
// differ, the index is dropped and a new one started; answers of the dropped one are ignored.
import * as pagefind from 'pagefind';

type Index = NonNullable<pagefind.NewIndexResponse['index']>;

export class PagefindSession {
  /** Articles handed over to the current index. */
  added = 0;
  #adding: Promise<void>[] = [];
  #index: Index;
  /** Where Pagefind's problems go, per page where it names one; the build lists them all. */
  readonly #problems: string[];

  private constructor(index: Index, problems: string[]) {
    this.#index = index;
    this.#problems = problems;
  }

  static async open(problems: string[]): Promise<PagefindSession> {
    return new PagefindSession(await createIndex(problems), problems);
  }

  add(url: string, article: string) {
    this.added++;
    const into = this.#index;
    this.#adding.push(
      into.addHTMLFile({ url, content: article }).then((result) => {
        if (into === this.#index) this.#problems.push(...result.errors.map((error) => `${url}: ${error}`));
      }),
    );
  }

  /** Drops the index and starts an empty one. */
  async restart() {
    await this.#index.deleteIndex();
    this.#index = await createIndex(this.#problems);
    this.#adding = [];
    this.added = 0;
  }

  /** Writes the index into `outputPath` once Pagefind has every article handed over. */
  async write(outputPath: string) {
    await Promise.all(this.#adding);
    this.#problems.push(...(await this.#index.writeFiles({ outputPath })).errors);
  }
}

async function createIndex(problems: string[]): Promise<Index> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) {
    await pagefind.close();
    throw new Error(errors.join('\n') || 'Pagefind did not start.');
  }
  problems.push(...errors);
  return index;
}

/** Ends Pagefind's process: once per build, whatever happened. */
export const closePagefind = () => pagefind.close();
