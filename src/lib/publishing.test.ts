import { describe, expect, it } from 'vitest';
import { isPublished, isScheduled } from './publishing.ts';

const timeZone = 'Europe/Amsterdam';
const now = new Date('2026-11-29T12:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('isPublished', () => {
  it('publishes a dated part that is not a draft', () => {
    expect(isPublished({ draft: false, date: day('2020-04-21') }, now, timeZone)).toBe(true);
  });

  it('publishes a part dated today', () => {
    expect(isPublished({ draft: false, date: day('2026-11-29') }, now, timeZone)).toBe(true);
  });

  it('holds back a draft, whatever its date', () => {
    expect(isPublished({ draft: true, date: day('2020-04-21') }, now, timeZone)).toBe(false);
  });

  it('holds back a part dated in the future until that day', () => {
    const tomorrow = { draft: false, date: day('2026-11-30') };
    expect(isPublished(tomorrow, now, timeZone)).toBe(false);
    expect(isScheduled(tomorrow, now, timeZone)).toBe(true);
    expect(isPublished(tomorrow, day('2026-11-30'), timeZone)).toBe(true);
  });

  it("publishes at midnight in the site's time zone, which is the evening before in UTC", () => {
    const part = { draft: false, date: day('2026-11-30') };
    expect(isPublished(part, new Date('2026-11-29T22:59:59Z'), timeZone)).toBe(false);
    expect(isPublished(part, new Date('2026-11-29T23:00:00Z'), timeZone)).toBe(true);
  });
});
