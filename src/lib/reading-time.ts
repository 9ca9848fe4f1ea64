// Reading time from the raw MDX body. Astro 7's Markdown pipeline is not remark-based, so
// instead of a remark plugin this counts words in the source, leaving out what a reader
// never reads: import/export lines, tags, expressions, link targets and Markdown syntax.

/** Number of words a reader reads in an MDX body. */
export function countWords(mdx: string): number {
  const prose = mdx
    .replace(/^(?:import|export)\s.*$/gm, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ');
  return prose.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
}

/** Whole minutes, rounded up, never less than one. */
export function readingMinutes(words: number, wordsPerMinute: number): number {
  if (!(wordsPerMinute > 0)) throw new RangeError('wordsPerMinute must be positive');
  return Math.max(1, Math.ceil(words / wordsPerMinute));
}
