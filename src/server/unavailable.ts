// Which failed writes are the database being out of reach for now, not a fault of this code: the
// routes answer them 503 with a "try again later", and say so in the log once in a while rather
// than once per request. The owner may move this beside DatabaseUnavailable (database.ts).
import { DatabaseUnavailable } from './database.ts';
import { errorForLog } from './log-lines.ts';

/**
 * PostgreSQL gone or not there (yet): the connection refused, reset or timed out, the server
 * shutting down or starting up (57P01 admin_shutdown, 57P03 cannot_connect_now), the connection
 * lost (08xxx). `pg` raises a few of these without a code, by message only.
 */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
const unreachableMessages = /^(Connection terminated|timeout exceeded when trying to connect)/;

const sqliteBusy = 5;

/** Whether `error` says the database cannot take the write now (a retry later may succeed). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, errcode, message, errors } = error as {
    code?: unknown;
    errcode?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  // SQLite's "database is locked": another process held the write lock too long.
  if (typeof errcode === 'number' && (errcode & 0xff) === sqliteBusy) return true;
  if (typeof code === 'string' && unreachableCodes.has(code)) return true;
  if (typeof message === 'string' && unreachableMessages.test(message)) return true;
  // Node tries each address of a host name: an AggregateError of the refusals.
  return Array.isArray(errors) && errors.length > 0 && errors.every(isUnavailable);
}

/**
 * A logger for a route's failed writes: an unexpected error each time, an unavailable database
 * at most once a minute (it fails every request alike, and db-watch.ts has said why for its own).
 */
export function failureLog(what: string, every = 60_000) {
  let quietUntil = 0;
  return (error: unknown) => {
    if (!isUnavailable(error)) return console.error(`Could not store ${what}: ${errorForLog(error)}`);
    if (error instanceof DatabaseUnavailable) return;
    const now = Date.now();
    if (now < quietUntil) return;
    quietUntil = now + every;
    console.error(
      `Could not store ${what}, the database is out of reach (answering 503): ${errorForLog((error as Error).message ?? error)}`,
    );
  };
}
