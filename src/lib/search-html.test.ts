import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './compounds.ts';
import { articleText, withCompoundParts } from './search-html.ts';

const page = (article: string) => `<!doctype html><html lang="nl"><head><title>Titel</title></head><body>
<header><nav><a href="/">Informatiebeleidsplan in het menu</a></nav></header>
<main>${article}</main><footer>Gemeentehuis in de voettekst</footer></body></html>`;

const article = page(`<article data-pagefind-body>
  <p data-pagefind-ignore data-pagefind-meta="deel[data-deel]" data-deel="Deel 1">Deel 1 van 3</p>
  <h1 data-pagefind-meta="title">Het informatiebeleidsplan</h1>
  <div data-pagefind-ignore><a data-pagefind-filter="auteur">Job Coenen</a></div>
  <p>Het informatiebeleidsplan van de I&amp;A-afdeling, met <em>beleid</em> en een plan.</p>
  <p>Informatie voor het gemeentehuis. Het huis van de gemeente.</p>
  <svg><text>informatiebeleidsplan</text></svg>
</article>`);

describe('articleText', () => {
  it('reads only the indexed text of the article', () => {
    const text = articleText(article)!;
    expect(text).toContain('met');
    expect(text).toContain('beleid');
    expect(text).toContain('gemeentehuis');
    expect(text).not.toContain('menu');
    expect(text).not.toContain('voettekst');
    expect(text).not.toContain('Deel 1');
    expect(text).not.toContain('Coenen');
    expect(text).not.toContain('amp');
  });

  it('is undefined for a page without an article', () => {
    expect(articleText(page('<h1>Zoeken</h1>'))).toBeUndefined();
  });
});

describe('withCompoundParts', () => {
  const vocabulary = buildVocabulary([articleText(article)!]);

  it('follows each compound in the article with its parts, at a low weight', () => {
    const { html, compounds } = withCompoundParts(article, vocabulary, { weight: 0.1, minPartLength: 4 });
    expect(compounds).toBe(2);
    expect(html).toContain(
      'Het informatiebeleidsplan<span data-pagefind-weight="0.1"> ⟦plan beleid informatie beleidsplan informatiebeleid⟧</span> van de I&amp;A-afdeling',
    );
    expect(html).toContain('gemeentehuis<span data-pagefind-weight="0.1"> ⟦huis gemeente⟧</span>.');
  });

  it('leaves the rest of the page, the title and ignored parts alone', () => {
    const { html } = withCompoundParts(article, vocabulary, { weight: 0.1, minPartLength: 4 });
    expect(html).toContain('<h1 data-pagefind-meta="title">Het informatiebeleidsplan</h1>');
    expect(html).toContain('Informatiebeleidsplan in het menu</a>');
    expect(html).toContain('<footer>Gemeentehuis in de voettekst</footer>');
    expect(html).toContain('<text>informatiebeleidsplan</text>');
  });

  it('returns a page without compounds or without an article unchanged', () => {
    const plain = page('<article data-pagefind-body><p>Het beleid.</p></article>');
    expect(withCompoundParts(plain, vocabulary)).toEqual({ html: plain, compounds: 0 });
    const other = page('<h1>Informatiebeleidsplan</h1>');
    expect(withCompoundParts(other, vocabulary)).toEqual({ html: other, compounds: 0 });
  });
});
