// How the routes log a write that failed (src/server/collector.ts, message-receiver.ts): an
// unexpected error each time; a database out of reach for now (isUnavailable, database.ts) at
// most once a minute, since it fails every request alike and each gets its 503 anyway; a write the
// database watch refused not at all (db-watch.ts says why, once).
import { DatabaseUnavailable, isUnavailable } from './database.ts';
import { errorForLog } from './log-lines.ts';

export function failureLog(what: string, everyMs = 60_000) {
  let quietUntil = 0;
  return (error: unknown) => {
    if (!isUnavailable(error)) return console.error(`Could not store ${what}: ${errorForLog(error)}`);
    if (error instanceof DatabaseUnavailable) return;
    const now = Date.now();
    if (now < quietUntil) return;
    quietUntil = now + everyMs;
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      `Could not store ${what}, the database is out of reach (answering 503): ${errorForLog(reason)}`,
    );
  };
}
