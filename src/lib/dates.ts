// Dates in content are calendar days (stored as UTC midnight); format them in UTC so a day
// never shifts, whatever the machine's time zone.
const dutchDate = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "21 april 2020" */
export function formatDutchDate(date: Date): string {
  return dutchDate.format(date);
}

const dutchMonth = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "maart 2027", from "2027-03". */
export function formatDutchMonth(month: string): string {
  return dutchMonth.format(new Date(`${month}-01T00:00:00Z`));
}

/** "2020-04-21", for `<time datetime>` and machine-readable output. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * One formatter per time zone: creating one costs far more than formatting with it, and a build
 * asks for today once per post.
 */
export function formatterIn(
  formats: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  create: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = create();
    formats.set(timeZone, format);
  }
  return format;
}

const isoDays = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar day in `timeZone`, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return formatterIn(
    isoDays,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

const dutchDateTimes = new Map<string, Intl.DateTimeFormat>();

/** "10 mei 2024 om 14:32": a moment, such as when a message arrived, on the clock of `timeZone`. */
export function formatDutchDateTime(moment: Date, timeZone: string): string {
  return formatterIn(
    dutchDateTimes,
    timeZone,
    () => new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone }),
  ).format(moment);
}
