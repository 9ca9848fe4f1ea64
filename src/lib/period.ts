// Calendar days in the site's time zone and the report periods made of them. Events are stored
// by day only, so a period is a range of days, today included.
import { todayIn } from './dates.ts';

/** A day as "YYYY-MM-DD". */
export type Day = string;

export interface Period {
  /** Number of days, today included. */
  days: number;
  from: Day;
  to: Day;
}

/** The calendar day a moment falls on in a time zone. */
export const dayOf = (moment: Date, timeZone: string): Day => todayIn(timeZone, moment);

/**
 * The first moment of a day in a time zone, to the quarter hour (every zone's offset is a whole
 * number of quarter hours, within 14 hours of UTC): for comparing stored moments with a period.
 */
export function dayStart(day: Day, timeZone: string): Date {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const hours = 3_600_000;
  for (let moment = midnight - 14 * hours; moment <= midnight + 14 * hours; moment += hours / 4)
    if (dayOf(new Date(moment), timeZone) === day) return new Date(moment);
  return new Date(midnight);
}

/** The day `count` days after `day` (before, when negative). Pure calendar arithmetic. */
export function addDays(day: Day, count: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/** The last `days` days up to and including today in the time zone. */
export function lastDays(days: number, now: Date, timeZone: string): Period {
  const to = dayOf(now, timeZone);
  return { days, from: addDays(to, -(days - 1)), to };
}

/** Every day of the period, oldest first. */
export function daysOf(period: Period): Day[] {
  return Array.from({ length: period.days }, (_, index) => addDays(period.from, index));
}

/**
 * The period length asked for in `?dagen=`: one of `allowed`, the default when absent, and
 * undefined for anything else, so the caller can say what is allowed.
 */
export function periodDays(
  value: string | null | undefined,
  allowed: readonly number[],
  fallback: number,
): number | undefined {
  if (value === null || value === undefined || value === '') return fallback;
  const days = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  return allowed.includes(days) ? days : undefined;
}
