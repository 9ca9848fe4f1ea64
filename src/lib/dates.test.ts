import { describe, expect, it } from 'vitest';
import { formatDutchDate, formatDutchDateTime, formatDutchMonth, isoDay, todayIn } from './dates.ts';

describe('formatDutchDate', () => {
  it('writes the day, the Dutch month name in lowercase and the year', () => {
    expect(formatDutchDate(new Date('2020-04-21T00:00:00Z'))).toBe('21 april 2020');
  });

  it('has no leading zero and knows every month', () => {
    const months = [
      'januari',
      'februari',
      'maart',
      'april',
      'mei',
      'juni',
      'juli',
      'augustus',
      'september',
      'oktober',
      'november',
      'december',
    ];
    months.forEach((month, index) => {
      const date = new Date(Date.UTC(2020, index, 1));
      expect(formatDutchDate(date)).toBe(`1 ${month} 2020`);
    });
  });

  it('does not shift a day at the edges of the day or the year', () => {
    expect(formatDutchDate(new Date('2020-12-31T00:00:00Z'))).toBe('31 december 2020');
    expect(formatDutchDate(new Date('2020-01-01T00:00:00Z'))).toBe('1 januari 2020');
    expect(formatDutchDate(new Date('2024-02-29T00:00:00Z'))).toBe('29 februari 2024');
  });
});

describe('isoDay', () => {
  it('gives the calendar day as YYYY-MM-DD', () => {
    expect(isoDay(new Date('2020-04-21T00:00:00Z'))).toBe('2020-04-21');
  });
});

describe('todayIn', () => {
  it('gives the local calendar day, which can differ from the UTC day', () => {
    const lateEvening = new Date('2020-04-20T22:30:00Z');
    expect(todayIn('Europe/Amsterdam', lateEvening)).toBe('2020-04-21');
    expect(todayIn('UTC', lateEvening)).toBe('2020-04-20');
  });
});

describe('formatDutchDateTime', () => {
  it('writes the moment on the clock of the time zone, summer and winter time alike', () => {
    expect(formatDutchDateTime(new Date('2024-05-10T12:32:00Z'), 'Europe/Amsterdam')).toBe(
      '10 mei 2024 om 14:32',
    );
    expect(formatDutchDateTime(new Date('2024-12-31T23:05:00Z'), 'Europe/Amsterdam')).toBe(
      '1 januari 2025 om 00:05',
    );
  });
});

describe('formatDutchMonth', () => {
  it('writes a month in Dutch', () => {
    expect(formatDutchMonth('2027-03')).toBe('maart 2027');
    expect(formatDutchMonth('2026-12')).toBe('december 2026');
  });
});
