import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './compounds.ts';
import { compoundAnnotator, indexDocument, locateArticle } from './search-html.ts';

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

describe('locateArticle', () => {
  it('finds the article element and, in it, only the text Pagefind indexes', () => {
    const location = locateArticle(article)!;
    expect(article.slice(location.start, location.end)).toMatch(
      /^<article data-pagefind-body>[\s\S]*<\/article>$/,
    );
    expect(location.lang).toBe('nl');
    const spans = Array.from({ length: location.spans.length / 2 }, (_, i) =>
      article.slice(location.spans[2 * i], location.spans[2 * i + 1]),
    );
    const text = spans.join(' ');
    expect(text).toContain('met');
    expect(text).toContain('beleid');
    expect(text).toContain('gemeentehuis');
    expect(text).not.toContain('Deel 1');
    expect(text).not.toContain('Coenen');
    // Neither the title (metadata) nor the text of the figure.
    expect(spans).not.toContain('Het informatiebeleidsplan');
    expect(spans).not.toContain('informatiebeleidsplan');
  });

  it('is undefined for a page without an article', () => {
    expect(locateArticle(page('<h1>Zoeken</h1>'))).toBeUndefined();
  });
});

describe('indexDocument', () => {
  // The words of the post's source, as the build takes them.
  const vocabulary = buildVocabulary([
    'Het informatiebeleidsplan van de I&A-afdeling, met beleid en een plan. Informatie voor het gemeentehuis. Het huis van de gemeente.',
  ]);
  const location = locateArticle(article)!;
  const indexed = () =>
    indexDocument(article, location, compoundAnnotator(vocabulary, { weight: 0.1, minPartLength: 4 }));
  const articleElement = /<article data-pagefind-body>[\s\S]*<\/article>/.exec(article)![0];

  it('follows each compound in the article with its parts, at a low weight', () => {
    const { html, compounds } = indexed();
    expect(compounds).toBe(2);
    expect(html).toContain(
      'Het informatiebeleidsplan<span data-pagefind-weight="0.1"> ⟦plan beleid beleidsplan⟧</span> van de I&amp;A-afdeling',
    );
    expect(html).toContain('gemeentehuis<span data-pagefind-weight="0.1"> ⟦huis⟧</span>.');
  });

  it('is the article alone, in the language of the page, with its title and ignored parts unchanged', () => {
    const { html } = indexed();
    expect(html).toMatch(/^<!doctype html><html lang="nl">.*<body><article data-pagefind-body>/s);
    expect(html).toContain('<h1 data-pagefind-meta="title">Het informatiebeleidsplan</h1>');
    expect(html).toContain('<text>informatiebeleidsplan</text>');
    expect(html).not.toContain('menu');
    expect(html).not.toContain('voettekst');
  });

  it('changes nothing in the article but the added parts, byte for byte', () => {
    const { html } = indexed();
    const body = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
    expect(body.replace(/<span data-pagefind-weight="0\.1"> ⟦[^⟧]*⟧<\/span>/g, '')).toBe(articleElement);
  });

  it('copies an article without compounds as it is', () => {
    const plain = page('<article data-pagefind-body><p>Het beleid.</p></article>');
    const { html, compounds } = indexDocument(plain, locateArticle(plain)!, compoundAnnotator(vocabulary));
    expect(compounds).toBe(0);
    expect(html).toContain('<body><article data-pagefind-body><p>Het beleid.</p></article></body>');
  });
});
