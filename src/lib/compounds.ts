// Dutch compound words for search. Pagefind matches the start of a word, so "beleid" never finds
// "informatiebeleidsplan". At build time each compound in an article is split into parts that are
// themselves words of the site (its vocabulary), minding the linking letters of Dutch compounds
// (levenSgebeurtenis, boekENkast, paardEbloem); those parts then go into the index.

export interface CompoundOptions {
  /** Shortest part; shorter pieces ("be", "ver", "web") are too often not a word on their own. */
  minPartLength: number;
}

export const defaultCompoundOptions: CompoundOptions = { minPartLength: 4 };

/** Letters that may join two parts of a compound; tried in this order. */
const linkers = ['', 's', 'e', 'en'] as const;

/**
 * Words that end a lot of Dutch words as a suffix rather than as a part of a compound:
 * belang|rijk, eigen|lijk, werk|loos, weten|schap. Never accepted as a part.
 */
const suffixWords = new Set([
  'achtig',
  'achtige',
  'baar',
  'bare',
  'heden',
  'heid',
  'lijk',
  'lijke',
  'loos',
  'loze',
  'matig',
  'matige',
  'rijk',
  'rijke',
  'schap',
  'schappen',
  'waardig',
  'waardige',
  'zaam',
  'zame',
]);

const wordPattern = /[\p{L}]+(?:['’][\p{L}]+)*/gu;

/** The words of a text, lowercased, in order; numbers and punctuation are left out. */
export function words(text: string): string[] {
  // Lowercased as a whole: once per text is many times faster than once per word.
  return text.toLocaleLowerCase('nl').match(wordPattern) ?? [];
}

/** Every word of the texts that is long enough to be a part of a compound, added to `vocabulary`. */
export function buildVocabulary(
  texts: Iterable<string>,
  { minPartLength }: CompoundOptions = defaultCompoundOptions,
  vocabulary = new Set<string>(),
): Set<string> {
  for (const text of texts) {
    for (const word of words(text)) if (word.length >= minPartLength) vocabulary.add(word);
  }
  return vocabulary;
}

interface Piece {
  part: string;
  /** Linking letters after the part ("s" in beleid-s-plan); empty for the last part. */
  linker: string;
}

/**
 * The finest way to write `word` as vocabulary words with linking letters between them: the most
 * parts, then the fewest linking letters. Undefined when there is none with two or more parts.
 */
function decompose(
  word: string,
  vocabulary: ReadonlySet<string>,
  minPartLength: number,
): Piece[] | undefined {
  const isPart = (candidate: string) =>
    candidate.length >= minPartLength && vocabulary.has(candidate) && !suffixWords.has(candidate);
  const memo = new Map<number, Piece[] | null>();

  // Best decomposition of word.slice(start); a single part is allowed except for the whole word.
  const from = (start: number): Piece[] | null => {
    const known = memo.get(start);
    if (known !== undefined) return known;
    let best: Piece[] | null = null;
    const better = (candidate: Piece[]) =>
      !best ||
      candidate.length > best.length ||
      (candidate.length === best.length && linkerLength(candidate) < linkerLength(best));
    for (let end = start + minPartLength; end <= word.length; end++) {
      const part = word.slice(start, end);
      if (!isPart(part)) continue;
      if (end === word.length) {
        if (start > 0 && better([{ part, linker: '' }])) best = [{ part, linker: '' }];
        continue;
      }
      for (const linker of linkers) {
        if (!word.startsWith(linker, end)) continue;
        const rest = from(end + linker.length);
        if (rest && better([{ part, linker }, ...rest])) best = [{ part, linker }, ...rest];
      }
    }
    memo.set(start, best);
    return best;
  };

  const pieces = from(0);
  return pieces && pieces.length >= 2 ? pieces : undefined;
}

const linkerLength = (pieces: Piece[]) => pieces.reduce((sum, piece) => sum + piece.linker.length, 0);

/**
 * The parts of a compound a search should find it by: every run of consecutive parts that is not
 * the whole word, written as in the word itself. "informatiebeleidsplan" with informatie, beleid
 * and plan in the vocabulary gives informatie, beleid, plan, informatiebeleid and beleidsplan.
 * Empty for a word that is not a compound of vocabulary words.
 */
export function compoundParts(
  word: string,
  vocabulary: ReadonlySet<string>,
  { minPartLength }: CompoundOptions = defaultCompoundOptions,
): string[] {
  const lower = word.toLocaleLowerCase('nl');
  if (lower.length < 2 * minPartLength || !/^\p{L}+$/u.test(lower)) return [];
  const pieces = decompose(lower, vocabulary, minPartLength);
  if (!pieces) return [];
  const parts: string[] = [];
  for (let first = 0; first < pieces.length; first++) {
    let run = '';
    for (let last = first; last < pieces.length; last++) {
      run += (last > first ? pieces[last - 1]!.linker : '') + pieces[last]!.part;
      if (run !== lower) parts.push(run);
    }
  }
  // Shortest first: the single parts, then the longer runs.
  return [...new Set(parts)].sort((a, b) => a.length - b.length || a.localeCompare(b, 'nl'));
}
