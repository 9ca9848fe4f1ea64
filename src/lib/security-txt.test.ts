import { describe, expect, it } from 'vitest';
import { expiresAfter, securityTxt } from './security-txt.ts';

describe('securityTxt', () => {
  it('has the fields RFC 9116 asks for, one per line', () => {
    const text = securityTxt({
      contact: 'mailto:security@gemeente.nl',
      expires: expiresAfter(new Date('2026-12-07T10:20:30.456Z'), 180),
      languages: ['nl', 'en'],
      canonical: 'https://reeks.gemeente.nl/.well-known/security.txt',
    });
    expect(text).toBe(
      'Contact: mailto:security@gemeente.nl\n' +
        'Expires: 2027-06-05T00:00:00Z\n' +
        'Preferred-Languages: nl, en\n' +
        'Canonical: https://reeks.gemeente.nl/.well-known/security.txt\n',
    );
  });
});
