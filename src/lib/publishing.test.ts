import { describe, expect, it } from 'vitest';
import { isPublished, isScheduled } from './publishing.ts';

const now = new Date('2026-11-29T12:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('isPublished', () => {
  it('publishes a dated part that is not a draft', () => {
    expect(isPublished({ draft: false, date: day('2020-04-21') }, now)).toBe(true);
  });

  it('publishes a part dated today', () => {
    expect(isPublished({ draft: false, date: day('2026-11-29') }, now)).toBe(true);
  });

  it('holds back a draft, whatever its date', () => {
    expect(isPublished({ draft: true, date: day('2020-04-21') }, now)).toBe(false);
  });

  it('holds back a part dated in the future until that day', () => {
    const tomorrow = { draft: false, date: day('2026-11-30') };
    expect(isPublished(tomorrow, now)).toBe(false);
    expect(isScheduled(tomorrow, now)).toBe(true);
    expect(isPublished(tomorrow, day('2026-11-30'))).toBe(true);
  });
});
