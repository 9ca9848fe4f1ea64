// The order of the pages. Pagefind numbers pages in the order it gets them, so the indexer hands
// them over in one fixed order, whatever order they were rendered or kept in: the order Astro
// makes the pages in (which the build sends before the first page renders), then any other page
// with an article by path. This holds where each page is on its way: seen (rendered or kept),
// waiting for its turn, or known from the last build before it is seen (foreseen); and how far
// along the order the pages have been handed over.

/** A page the build will make: its path as Astro names it and its cache key, if it has one. */
export interface ExpectedPage {
  path: string;
  key?: string;
}

/** A page as the indexer knows it: its URL and, when it has an article, a hash of its HTML. */
export interface IndexedPage {
  url: string;
  hash?: string;
}

/** A page the last build made with the same key, and its article as that build stored it. */
export type ForeseenPage = IndexedPage & { article?: string };

export class PageOrder {
  /** Every page the build makes, in the order it makes them. */
  #expected: ExpectedPage[] = [];
  /** How many of the expected pages are handed over (or left out, having no article). */
  #handed = 0;
  /** Every page seen this build, by path: rendered, or (once all are made) kept. */
  readonly seen = new Map<string, IndexedPage>();
  /** The article of each rendered page, compounds split, until its turn comes. */
  readonly #waiting = new Map<string, string>();
  /** Each page the last build made with the same key, with its article, until its turn comes. */
  readonly #foreseen = new Map<string, ForeseenPage>();
  /** The hash of each page whose article was handed over before the page was seen. */
  readonly #handedUnseen = new Map<string, string | undefined>();

  /** Gives Pagefind a page's article: called in order, as soon as each page's turn comes. */
  readonly #hand: (url: string, article: string) => void;

  constructor(hand: (url: string, article: string) => void) {
    this.#hand = hand;
  }

  get expected(): readonly ExpectedPage[] {
    return this.#expected;
  }

  expect(pages: ExpectedPage[]) {
    this.#expected = pages;
  }

  /** The cache key of each expected page, by path. */
  keys(): Map<string, string | undefined> {
    return new Map(this.#expected.map(({ path, key }) => [path, key]));
  }

  /**
   * Notes a rendered page; `article` prepares its article (undefined when it has none). A page
   * already handed over from the last build is not prepared again (`differs` tells whether it changed).
   */
  rendered(path: string, page: IndexedPage, article: () => string | undefined) {
    this.seen.set(path, page);
    if (this.#handedUnseen.has(path)) return;
    const prepared = article();
    if (prepared !== undefined) this.#waiting.set(path, prepared);
    this.#handReady();
  }

  /** Notes a page the last build made with the same key: it is handed over in its turn, unseen. */
  foresee(path: string, page: ForeseenPage) {
    this.#foreseen.set(path, page);
    this.#handReady();
  }

  /** Whether a page handed over before it was seen turned out different: the index must be built again. */
  differs(): boolean {
    return [...this.#handedUnseen].some(([path, hash]) => this.seen.get(path)?.hash !== hash);
  }

  /** Starts the order over, for a new index: every page is handed over again. */
  restart() {
    this.#handed = 0;
  }

  /** The pages not handed over yet, in the order of a full build: the rest of the expected ones, then the others by path. */
  remaining(): string[] {
    const expected = new Set(this.#expected.map(({ path }) => path));
    const others = [...this.seen.keys()].filter((path) => !expected.has(path)).sort();
    return [...this.#expected.slice(this.#handed).map(({ path }) => path), ...others];
  }

  /** The article of a page not handed over yet, if this build has it at hand (rendered, or foreseen and the same). */
  articleAtHand(path: string, hash: string): string | undefined {
    const foreseen = this.#foreseen.get(path);
    return this.#waiting.get(path) ?? (foreseen?.hash === hash ? foreseen.article : undefined);
  }

  /** Hands over every page that is next in line and known, while pages render. */
  #handReady() {
    while (this.#handed < this.#expected.length) {
      const { path } = this.#expected[this.#handed]!;
      const page = this.seen.get(path);
      const foreseen = this.#foreseen.get(path);
      if (page) {
        const article = this.#waiting.get(path);
        if (article !== undefined) this.#hand(page.url, article);
      } else if (foreseen) {
        if (foreseen.article !== undefined) this.#hand(foreseen.url, foreseen.article);
        this.#handedUnseen.set(path, foreseen.hash);
      } else break;
      this.#waiting.delete(path);
      this.#foreseen.delete(path);
      this.#handed++;
    }
  }
}
