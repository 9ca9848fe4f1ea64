import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { recordFollowRequest } from './follow-store.ts';

const hour = 3_600_000;

describe('recordFollowRequest: one confirmation mail per address and series a day', () => {
  const db = openDatabase(':memory:');
  const request = (series: string, now: string) =>
    recordFollowRequest(db, {
      addressKey: 'sleutel-van-anna',
      series,
      now: new Date(now),
      day: now.slice(0, 10),
      perAddressMs: 24 * hour,
      linkMs: 7 * 24 * hour,
    });

  it('refuses a second mail for the same series within the day, but not one for another series', () => {
    expect(request('reeks', '2024-05-01T08:00:00Z')).toBe('recorded');
    expect(request('reeks', '2024-05-01T20:00:00Z')).toBe('too-many');
    expect(request('andere-reeks', '2024-05-01T20:00:00Z')).toBe('recorded');
    expect(request('reeks', '2024-05-02T08:00:01Z')).toBe('recorded');
  });
});
