import { describe, expect, it } from 'vitest';
import { addDays, dayOf, dayStart, daysOf, lastDays, periodDays } from './period.ts';

const amsterdam = 'Europe/Amsterdam';

describe('dayStart', () => {
  it('is midnight in the time zone, in winter and in summer, and on the day the clocks change', () => {
    expect(dayStart('2024-01-15', amsterdam).toISOString()).toBe('2024-01-14T23:00:00.000Z');
    expect(dayStart('2024-07-01', amsterdam).toISOString()).toBe('2024-06-30T22:00:00.000Z');
    expect(dayStart('2024-03-31', amsterdam).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(dayStart('2024-04-01', amsterdam).toISOString()).toBe('2024-03-31T22:00:00.000Z');
    expect(dayStart('2024-05-04', 'UTC').toISOString()).toBe('2024-05-04T00:00:00.000Z');
    expect(dayStart('2024-05-04', 'Asia/Kolkata').toISOString()).toBe('2024-05-03T18:30:00.000Z');
  });
});

describe('dayOf', () => {
  it('gives the calendar day in Amsterdam, not in UTC', () => {
    // 23:30 UTC in summer is 01:30 the next day in Amsterdam (UTC+2).
    expect(dayOf(new Date('2024-06-30T23:30:00Z'), amsterdam)).toBe('2024-07-01');
    // 22:59 UTC in winter is 23:59 in Amsterdam (UTC+1): still the same day.
    expect(dayOf(new Date('2024-01-15T22:59:00Z'), amsterdam)).toBe('2024-01-15');
    expect(dayOf(new Date('2024-01-15T23:00:00Z'), amsterdam)).toBe('2024-01-16');
  });

  it('moves to the new year at midnight in Amsterdam', () => {
    expect(dayOf(new Date('2024-12-31T22:59:59Z'), amsterdam)).toBe('2024-12-31');
    expect(dayOf(new Date('2024-12-31T23:00:00Z'), amsterdam)).toBe('2025-01-01');
  });
});

describe('addDays', () => {
  it('crosses month, leap day and year boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-03-01', -30)).toBe('2024-01-31');
  });
});

describe('lastDays', () => {
  it('counts today as the last of the 7 days', () => {
    const period = lastDays(7, new Date('2024-04-10T12:00:00Z'), amsterdam);
    expect(period).toEqual({ days: 7, from: '2024-04-04', to: '2024-04-10' });
    expect(daysOf(period)).toEqual([
      '2024-04-04',
      '2024-04-05',
      '2024-04-06',
      '2024-04-07',
      '2024-04-08',
      '2024-04-09',
      '2024-04-10',
    ]);
  });

  it('starts today just after midnight in Amsterdam, even when UTC is still on yesterday', () => {
    expect(lastDays(1, new Date('2024-04-09T22:30:00Z'), amsterdam)).toEqual({
      days: 1,
      from: '2024-04-10',
      to: '2024-04-10',
    });
  });

  it('has exactly 30 and 90 days across the daylight saving changes', () => {
    const spring = lastDays(30, new Date('2024-04-15T10:00:00Z'), amsterdam);
    expect(spring).toMatchObject({ from: '2024-03-17', to: '2024-04-15' });
    expect(daysOf(spring)).toHaveLength(30);
    expect(new Set(daysOf(spring)).size).toBe(30);

    const autumn = lastDays(90, new Date('2024-11-30T10:00:00Z'), amsterdam);
    expect(autumn).toMatchObject({ from: '2024-09-02', to: '2024-11-30' });
    expect(daysOf(autumn)).toContain('2024-10-27');
    expect(new Set(daysOf(autumn)).size).toBe(90);
  });
});

describe('periodDays', () => {
  const allowed = [7, 30, 90];

  it('takes the default when nothing is asked', () => {
    expect(periodDays(null, allowed, 30)).toBe(30);
    expect(periodDays('', allowed, 30)).toBe(30);
  });

  it('accepts exactly the offered periods', () => {
    expect(periodDays('7', allowed, 30)).toBe(7);
    expect(periodDays('90', allowed, 30)).toBe(90);
  });

  it.each(['14', '0', '-7', '7.0', ' 7', '1e1', 'zeven', '9999999'])('refuses %j', (value) => {
    expect(periodDays(value, allowed, 30)).toBeUndefined();
  });
});
