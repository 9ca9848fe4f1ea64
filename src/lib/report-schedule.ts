// When the report goes out by e-mail (REEKS_REPORT_MAIL): a weekly mail on Monday at 08:00 in the
// site's time zone covering Monday to Sunday before it, a monthly mail on the 1st at 08:00 covering
// the month before. Pure calendar arithmetic on days in that zone, so a change of summer time
// moves the moment in UTC, never the hour on the clock. Each period has a key, the outbox's cause
// of its mails: one mail per recipient and period, however often it is found due.
import { formatterIn } from './dates.ts';
import { addDays, dayOf, type Day, type Period } from './period.ts';

export type ReportSchedule = 'weekly' | 'monthly' | 'both';
export type ReportKind = 'weekly' | 'monthly';

export const reportSchedules: readonly ReportSchedule[] = ['weekly', 'monthly', 'both'];

/** The hour on the site's clock at which a report is sent. */
export const reportHour = 8;

/** A period whose report is due, with the one before it to compare with. */
export interface DueReport {
  kind: ReportKind;
  period: Period;
  before: Period;
  /** The outbox cause of its mails, e.g. `report:weekly:2026-11-23` (the period's first day). */
  key: string;
  /** The moment it became due. */
  dueAt: Date;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The hour and minute on the clock of `timeZone` at `moment`, and its day. */
function clockOf(moment: Date, timeZone: string) {
  const format = formatterIn(
    clockFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  );
  const [hour, minute] = format.format(moment).split(':').map(Number) as [number, number];
  return { day: dayOf(moment, timeZone), hour, minute };
}

/**
 * The moment the clock of `timeZone` shows `hour`:00 on `day`. Searched in quarter hours around
 * the UTC hour (every zone is a whole number of quarter hours within 14 hours of UTC); an hour
 * skipped by summer time gives the first moment after it.
 */
export function momentAt(day: Day, hour: number, timeZone: string): Date {
  const utc = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const quarter = 15 * 60_000;
  let first: Date | undefined;
  for (let moment = utc - 14 * 4 * quarter; moment <= utc + 14 * 4 * quarter; moment += quarter) {
    const clock = clockOf(new Date(moment), timeZone);
    if (clock.day === day && clock.hour === hour && clock.minute === 0) return new Date(moment);
    if (!first && clock.day === day && clock.hour > hour) first = new Date(moment);
  }
  return first ?? new Date(utc);
}

/** 0 for Monday … 6 for Sunday. */
const weekdayOf = (day: Day) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

const periodOf = (from: Day, to: Day): Period => ({
  from,
  to,
  days: Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1,
});

const firstOfMonth = (day: Day) => `${day.slice(0, 7)}-01`;
/** The 1st of the month before the month of `day`. */
const monthBefore = (day: Day) => firstOfMonth(addDays(firstOfMonth(day), -1));

function weekly(monday: Day): Omit<DueReport, 'dueAt'> {
  const from = addDays(monday, -7);
  return {
    kind: 'weekly',
    period: periodOf(from, addDays(monday, -1)),
    before: periodOf(addDays(from, -7), addDays(from, -1)),
    key: `report:weekly:${from}`,
  };
}

function monthly(first: Day): Omit<DueReport, 'dueAt'> {
  const from = monthBefore(first);
  const earlier = monthBefore(from);
  return {
    kind: 'monthly',
    period: periodOf(from, addDays(first, -1)),
    before: periodOf(earlier, addDays(from, -1)),
    key: `report:monthly:${from.slice(0, 7)}`,
  };
}

/** The last weekly report due at `now`: the week before the last Monday 08:00 that has passed. */
export function dueWeekly(now: Date, timeZone: string): DueReport {
  const today = dayOf(now, timeZone);
  let monday = addDays(today, -weekdayOf(today));
  if (now < momentAt(monday, reportHour, timeZone)) monday = addDays(monday, -7);
  return { ...weekly(monday), dueAt: momentAt(monday, reportHour, timeZone) };
}

/** The last monthly report due at `now`: the month before the last 1st at 08:00 that has passed. */
export function dueMonthly(now: Date, timeZone: string): DueReport {
  const today = dayOf(now, timeZone);
  let first = firstOfMonth(today);
  if (now < momentAt(first, reportHour, timeZone)) first = monthBefore(today);
  return { ...monthly(first), dueAt: momentAt(first, reportHour, timeZone) };
}

/**
 * The reports due at `now` under `schedule`: the latest of each kind. Whether its mails were
 * queued already is the outbox's to say (its cause is the key).
 */
export function dueReports(schedule: ReportSchedule, now: Date, timeZone: string): DueReport[] {
  return [
    ...(schedule === 'monthly' ? [] : [dueWeekly(now, timeZone)]),
    ...(schedule === 'weekly' ? [] : [dueMonthly(now, timeZone)]),
  ];
}

/** The last complete week, Monday to Sunday, before the week of `now`: what `npm run stats -- --mail` sends. */
export function lastCompleteWeek(now: Date, timeZone: string): Omit<DueReport, 'dueAt' | 'key'> {
  const today = dayOf(now, timeZone);
  const { key: _, ...week } = weekly(addDays(today, -weekdayOf(today)));
  return week;
}

/** When the next report falls due after `now`, for the schedule's timer. */
export function nextDue(schedule: ReportSchedule, now: Date, timeZone: string): Date {
  const candidates: Date[] = [];
  if (schedule !== 'monthly') {
    const last = dueWeekly(now, timeZone);
    candidates.push(momentAt(addDays(dayOf(last.dueAt, timeZone), 7), reportHour, timeZone));
  }
  if (schedule !== 'weekly') {
    const last = dueMonthly(now, timeZone);
    const nextFirst = firstOfMonth(addDays(dayOf(last.dueAt, timeZone), 32));
    candidates.push(momentAt(nextFirst, reportHour, timeZone));
  }
  return new Date(Math.min(...candidates.map(Number)));
}
