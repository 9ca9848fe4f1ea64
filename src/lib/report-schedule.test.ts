import { describe, expect, it } from 'vitest';
import { dueMonthly, dueReports, dueWeekly, lastCompleteWeek, momentAt, nextDue } from './report-schedule.ts';

const zone = 'Europe/Amsterdam';

describe('momentAt', () => {
  it('is 08:00 in Amsterdam: 07:00 UTC in winter, 06:00 UTC in summer', () => {
    expect(momentAt('2026-11-30', 8, zone).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(momentAt('2026-06-01', 8, zone).toISOString()).toBe('2026-06-01T06:00:00.000Z');
  });

  it('gives the first moment after an hour that summer time skips', () => {
    // 29 March 2026: the clocks go from 02:00 to 03:00.
    expect(momentAt('2026-03-29', 2, zone).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });
});

describe('dueWeekly', () => {
  it('on Monday from 08:00 covers Monday to Sunday before, compared with the week before that', () => {
    const due = dueWeekly(new Date('2026-11-30T07:00:00Z'), zone);
    expect(due.period).toEqual({ from: '2026-11-23', to: '2026-11-29', days: 7 });
    expect(due.before).toEqual({ from: '2026-11-16', to: '2026-11-22', days: 7 });
    expect(due.key).toBe('report:weekly:2026-11-23');
    expect(due.dueAt.toISOString()).toBe('2026-11-30T07:00:00.000Z');
  });

  it('on Monday before 08:00 is still the week before', () => {
    const due = dueWeekly(new Date('2026-11-30T06:59:59Z'), zone);
    expect(due.key).toBe('report:weekly:2026-11-16');
  });

  it('stays the same period the whole week, Sunday night included', () => {
    for (const moment of ['2026-12-02T12:00:00Z', '2026-12-06T22:59:00Z'])
      expect(dueWeekly(new Date(moment), zone).key).toBe('report:weekly:2026-11-23');
    // Sunday 23:59 in Amsterdam is still Sunday, though it is Monday nowhere yet in UTC either.
    expect(dueWeekly(new Date('2026-12-07T06:59:00Z'), zone).key).toBe('report:weekly:2026-11-23');
    expect(dueWeekly(new Date('2026-12-07T07:00:00Z'), zone).key).toBe('report:weekly:2026-11-30');
  });

  it('keeps 08:00 on the clock over the change to summer and winter time', () => {
    // Monday 30 March 2026, the day after the change to summer time: 06:00 UTC.
    expect(dueWeekly(new Date('2026-03-30T05:59:00Z'), zone).key).toBe('report:weekly:2026-03-16');
    const summer = dueWeekly(new Date('2026-03-30T06:00:00Z'), zone);
    expect(summer.key).toBe('report:weekly:2026-03-23');
    expect(summer.period).toEqual({ from: '2026-03-23', to: '2026-03-29', days: 7 });
    // Monday 26 October 2026, the day after the change to winter time: 07:00 UTC.
    expect(dueWeekly(new Date('2026-10-26T06:30:00Z'), zone).key).toBe('report:weekly:2026-10-12');
    expect(dueWeekly(new Date('2026-10-26T07:00:00Z'), zone).key).toBe('report:weekly:2026-10-19');
  });

  it('crosses a year', () => {
    const due = dueWeekly(new Date('2027-01-04T08:00:00Z'), zone);
    expect(due.period).toEqual({ from: '2026-12-28', to: '2027-01-03', days: 7 });
  });
});

describe('dueMonthly', () => {
  it('on the 1st from 08:00 covers the month before, compared with the month before that', () => {
    const due = dueMonthly(new Date('2026-12-01T07:00:00Z'), zone);
    expect(due.period).toEqual({ from: '2026-11-01', to: '2026-11-30', days: 30 });
    expect(due.before).toEqual({ from: '2026-10-01', to: '2026-10-31', days: 31 });
    expect(due.key).toBe('report:monthly:2026-11');
  });

  it('before 08:00 on the 1st is still the month before that', () => {
    expect(dueMonthly(new Date('2026-12-01T06:00:00Z'), zone).key).toBe('report:monthly:2026-10');
  });

  it('knows February and the turn of the year', () => {
    expect(dueMonthly(new Date('2028-03-15T12:00:00Z'), zone).period).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
      days: 29,
    });
    const january = dueMonthly(new Date('2027-01-01T07:00:00Z'), zone);
    expect(january.period.from).toBe('2026-12-01');
    expect(january.before).toEqual({ from: '2026-11-01', to: '2026-11-30', days: 30 });
  });

  it('is due at 08:00 summer time on 1 April', () => {
    expect(dueMonthly(new Date('2026-04-01T05:59:00Z'), zone).key).toBe('report:monthly:2026-02');
    expect(dueMonthly(new Date('2026-04-01T06:00:00Z'), zone).key).toBe('report:monthly:2026-03');
  });
});

describe('dueReports and nextDue', () => {
  const monday = new Date('2026-12-07T09:00:00Z');

  it('gives the reports the schedule asks for', () => {
    expect(dueReports('weekly', monday, zone).map((due) => due.key)).toEqual(['report:weekly:2026-11-30']);
    expect(dueReports('monthly', monday, zone).map((due) => due.key)).toEqual(['report:monthly:2026-11']);
    expect(dueReports('both', monday, zone).map((due) => due.key)).toEqual([
      'report:weekly:2026-11-30',
      'report:monthly:2026-11',
    ]);
  });

  it('the next moment one falls due', () => {
    expect(nextDue('weekly', monday, zone).toISOString()).toBe('2026-12-14T07:00:00.000Z');
    expect(nextDue('monthly', monday, zone).toISOString()).toBe('2027-01-01T07:00:00.000Z');
    expect(nextDue('both', new Date('2026-12-29T09:00:00Z'), zone).toISOString()).toBe(
      '2027-01-01T07:00:00.000Z',
    );
  });

  it('the last complete week, whatever the hour', () => {
    expect(lastCompleteWeek(new Date('2026-12-07T05:00:00Z'), zone).period).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
      days: 7,
    });
    expect(lastCompleteWeek(new Date('2026-12-06T12:00:00Z'), zone).period.from).toBe('2026-11-23');
  });
});
