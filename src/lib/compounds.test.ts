import { describe, expect, it } from 'vitest';
import { buildVocabulary, compoundParts, words } from './compounds.ts';

// A vocabulary as the site builds it: from running Dutch text, not from a word list.
const vocabulary = buildVocabulary([
  'De gemeente maakt beleid en legt dat vast in een plan. Informatie is daarbij de grondstof.',
  'Een goed concept voor de dienst aan inwoners begint bij het leven van alledag.',
  'Wie gaat verhuizen beleeft een van de gebeurtenissen die om een loket vragen, en niet een huis vol formulieren.',
  'Elke verandering vraagt om een andere houding, ook in het gemeentehuis.',
  'Het wordt belangrijk: dat is eigenlijk een belang van ieder rijk en elke wijk.',
  'Dienstverlening en verlening van vergunningen horen bij de keten van partners.',
  'Het formulier staat op het web.',
]);

describe('words', () => {
  it('lowercases, keeps Dutch letters and leaves out numbers and punctuation', () => {
    expect(words('Gemeente 2.0: één efficiëntie-slag, programma’s!')).toEqual([
      'gemeente',
      'één',
      'efficiëntie',
      'slag',
      'programma’s',
    ]);
  });
});

describe('buildVocabulary', () => {
  it('keeps every word of four letters or more, once', () => {
    const small = buildVocabulary(['Het plan en het PLAN van de wijk', 'een plan']);
    expect([...small].sort()).toEqual(['plan', 'wijk']);
  });
});

describe('compoundParts', () => {
  it('splits informatiebeleidsplan at its parts and the linking -s-', () => {
    expect(compoundParts('informatiebeleidsplan', vocabulary)).toEqual([
      'plan',
      'beleid',
      'informatie',
      'beleidsplan',
      'informatiebeleid',
    ]);
  });

  it('splits dienstverleningsconcept into its finest parts', () => {
    expect(compoundParts('dienstverleningsconcept', vocabulary)).toEqual([
      'dienst',
      'concept',
      'verlening',
      'dienstverlening',
      'verleningsconcept',
    ]);
  });

  it('splits gemeentehuis without linking letters', () => {
    expect(compoundParts('gemeentehuis', vocabulary)).toEqual(['huis', 'gemeente']);
  });

  it('splits levensgebeurtenissen at the linking -s-', () => {
    expect(compoundParts('levensgebeurtenissen', vocabulary)).toEqual(['leven', 'gebeurtenissen']);
  });

  it('handles the linking -en- and -e-', () => {
    const own = buildVocabulary(['boek kast paard bloem keten partners']);
    expect(compoundParts('boekenkast', own)).toEqual(['boek', 'kast']);
    expect(compoundParts('paardebloem', own)).toEqual(['bloem', 'paard']);
    expect(compoundParts('ketenpartners', own)).toEqual(['keten', 'partners']);
  });

  it('prefers a part that is a word over a linking letter', () => {
    const own = buildVocabulary(['gegeven gegevens uitvraag']);
    expect(compoundParts('gegevensuitvraag', own)).toEqual(['gegevens', 'uitvraag']);
  });

  it('ignores case, so a compound at the start of a sentence splits too', () => {
    expect(compoundParts('Gemeentehuis', vocabulary)).toEqual(['huis', 'gemeente']);
  });

  it.each([
    ['beleid', 'short, and no parts'],
    ['gemeente', 'gemeen + te: "te" is too short'],
    ['gemeenten', 'gemeente + n is an inflection, not a compound'],
    ['verandering', 'ver + andering: neither is a word of the site'],
    ['inwoners', 'in + woners: too short and not a word'],
    ['belangrijk', 'belang + rijk: -rijk is a suffix here'],
    ['eigenlijk', 'eigen + lijk: -lijk is a suffix'],
    ['plan', 'a word of the vocabulary, too short to be a compound'],
    ['huisplannen', '"plannen" is not a word of the site'],
    ['webformulier', '"web" is shorter than a part may be'],
    ['e-mail', 'not a single word'],
  ])('leaves %s alone (%s)', (word) => {
    expect(compoundParts(word, vocabulary)).toEqual([]);
  });

  it('leaves alone a word the vocabulary does not cover', () => {
    expect(compoundParts('informatiebeleidsplan', new Set())).toEqual([]);
    expect(compoundParts('informatiebeleidsplan', buildVocabulary(['informatie beleid']))).toEqual([]);
  });

  it('takes a shorter minimum part length when asked', () => {
    const own = buildVocabulary(['web formulier'], { minPartLength: 3 });
    expect(compoundParts('webformulier', own, { minPartLength: 3 })).toEqual(['web', 'formulier']);
  });
});
