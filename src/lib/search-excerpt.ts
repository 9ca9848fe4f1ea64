// The parts of a compound go into the search index right after the compound, between two
// brackets no article uses: "informatiebeleidsplan ⟦informatie beleid plan⟧". Pagefind indexes
// the words inside and ignores the brackets; a result's excerpt, which Pagefind cuts from the
// indexed text, gets the bracketed parts removed again before a reader sees it.

export const partsOpen = '⟦';
export const partsClose = '⟧';

/** The text that carries a compound's parts into the index. */
export function partsText(parts: readonly string[]): string {
  return ` ${partsOpen}${parts.join(' ')}${partsClose}`;
}

const markOpen = '<mark>';
/** A word of punctuation only, as Pagefind leaves it after an inline element: "plan⟧ . Daarin". */
const detachedPunctuation = String.raw`(?:\s+[^\s\p{L}\p{N}<]+(?=\s|$))`;

/**
 * A Pagefind excerpt (text with `<mark>` around matched words) without the hidden compound parts.
 * A part that matched marks its compound instead, so a search for "beleid" shows
 * "het <mark>informatiebeleidsplan</mark>". An excerpt may start or end inside the brackets.
 */
export function readableExcerpt(excerpt: string): string {
  let text = excerpt;
  // Cut off at the start, "beleid plan⟧, en": the compound itself is not in the excerpt.
  const firstClose = text.indexOf(partsClose);
  const firstOpen = text.indexOf(partsOpen);
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    const rest = new RegExp(String.raw`^[^\s<]*(?:<\/mark>)?${detachedPunctuation}?`, 'u');
    text = text.slice(firstClose + partsClose.length).replace(rest, '');
  }
  // Cut off at the end, "het informatiebeleidsplan ⟦informatie beleid".
  const lastOpen = text.lastIndexOf(partsOpen);
  if (lastOpen !== -1 && !text.includes(partsClose, lastOpen)) text += partsClose;

  // Pagefind marks whole words, brackets and punctuation included: "<mark>⟦informatie</mark>",
  // "<mark>plan⟧,</mark>".
  const hidden = new RegExp(
    String.raw`(\S*?)\s*(<mark>)?⟦([^⟧]*)⟧([^\s<]*)(<\/mark>)?(${detachedPunctuation}?)`,
    'gu',
  );
  return (
    text
      .replace(
        hidden,
        (
          _match,
          compound: string,
          openMark,
          parts: string,
          attached: string,
          closeMark,
          detached: string,
        ) => {
          const punctuation = attached + detached.trim();
          const matched = Boolean(openMark || closeMark) || parts.includes(markOpen);
          if (!matched || compound === '' || compound.includes(markOpen)) return compound + punctuation;
          const [, before = '', word = compound] = /^(\P{L}*)(.*)$/u.exec(compound) ?? [];
          return `${before}<mark>${word}</mark>${punctuation}`;
        },
      )
      // Punctuation Pagefind marked along with a word goes outside the mark: "<mark>beleid</mark>,".
      .replace(/<mark>([^<]*?)([^\s\p{L}\p{N}<]+)<\/mark>/gu, '<mark>$1</mark>$2')
      .replace(/\s{2,}/g, ' ')
      .trim()
  );
}
