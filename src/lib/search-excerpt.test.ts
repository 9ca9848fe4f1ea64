import { describe, expect, it } from 'vitest';
import { partsText, readableExcerpt } from './search-excerpt.ts';

describe('partsText', () => {
  it('puts the parts between brackets after a space', () => {
    expect(partsText(['informatie', 'beleid', 'plan'])).toBe(' ⟦informatie beleid plan⟧');
  });
});

describe('readableExcerpt', () => {
  it('leaves an excerpt without hidden parts as it is', () => {
    const excerpt = 'Het <mark>beleid</mark> is helder.';
    expect(readableExcerpt(excerpt)).toBe(excerpt);
  });

  it('removes parts that did not match', () => {
    expect(
      readableExcerpt('Het <mark>plan</mark> en het informatiebeleidsplan ⟦informatie beleid plan⟧ hier.'),
    ).toBe('Het <mark>plan</mark> en het informatiebeleidsplan hier.');
  });

  it('marks the compound when one of its parts matched', () => {
    expect(
      readableExcerpt('is het informatiebeleidsplan ⟦informatie <mark>beleid</mark> plan⟧ cruciaal.'),
    ).toBe('is het <mark>informatiebeleidsplan</mark> cruciaal.');
  });

  it('handles marks that Pagefind put around a bracket or punctuation', () => {
    expect(readableExcerpt('het informatiebeleidsplan <mark>⟦informatie</mark> beleid plan⟧ is')).toBe(
      'het <mark>informatiebeleidsplan</mark> is',
    );
    expect(readableExcerpt('zonder informatiebeleidsplan ⟦informatie beleid <mark>plan⟧,</mark> en')).toBe(
      'zonder <mark>informatiebeleidsplan</mark>, en',
    );
  });

  it('joins punctuation Pagefind separated from the parts by a space', () => {
    expect(
      readableExcerpt('samen in het informatiebeleidsplan ⟦plan <mark>beleid</mark>⟧ . Daarin legt'),
    ).toBe('samen in het <mark>informatiebeleidsplan</mark>. Daarin legt');
    expect(readableExcerpt('beleid plan⟧ . Daarin legt')).toBe('Daarin legt');
  });

  it('keeps punctuation that Pagefind marked with a word outside the mark', () => {
    expect(readableExcerpt('tussen <mark>beleid,</mark> uitvoering en <mark>2.0</mark>')).toBe(
      'tussen <mark>beleid</mark>, uitvoering en <mark>2.0</mark>',
    );
  });

  it('keeps a compound that matched as a whole as it is', () => {
    expect(readableExcerpt('het <mark>informatiebeleidsplan</mark> ⟦informatie beleid plan⟧ is')).toBe(
      'het <mark>informatiebeleidsplan</mark> is',
    );
  });

  it('keeps opening punctuation outside the mark', () => {
    expect(
      readableExcerpt('het plan („informatiebeleidsplan ⟦<mark>informatie</mark> beleid plan⟧”) is'),
    ).toBe('het plan („<mark>informatiebeleidsplan</mark>”) is');
  });

  it('drops parts cut off at the start or the end of the excerpt', () => {
    expect(readableExcerpt('<mark>beleid</mark> plan⟧, en het plan')).toBe('en het plan');
    expect(
      readableExcerpt('het gemeentehuis ⟦huis⟧ en het informatiebeleidsplan ⟦informatie <mark>beleid</mark>'),
    ).toBe('het gemeentehuis en het <mark>informatiebeleidsplan</mark>');
    expect(readableExcerpt('⟦informatie beleid⟧ is')).toBe('is');
  });

  it('handles several compounds in one excerpt', () => {
    expect(
      readableExcerpt(
        'dienstverleningsconcept ⟦dienst <mark>concept</mark>⟧ en informatiebeleidsplan ⟦informatie beleid plan⟧ samen',
      ),
    ).toBe('<mark>dienstverleningsconcept</mark> en informatiebeleidsplan samen');
  });
});
