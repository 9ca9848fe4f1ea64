// How long the outbox (src/server/outbox.ts) keeps what it no longer needs, run with the hourly
// deletion of old messages (src/server/background-work.ts, `npm run messages`). A mail's content, with the
// address in it, is cleared once the mail is sent (by the sender) or will never be sent (failed,
// in doubt: here). The rows of confirmations and authors' mails go `recordDays` after they were
// queued; a part's mails keep their rows, which hold no address (recipient is the keyed hash, and
// it is replaced at unsubscribe): they keep a part from being sent twice, and the report counts them.
import type { Sql } from './database.ts';

export async function deleteOldMails(
  sql: Sql,
  recordDays: number,
  now: Date,
): Promise<{ cleared: number; deleted: number }> {
  const cleared = await sql.run(
    "UPDATE outbox SET payload = NULL WHERE state IN ('failed', 'in-doubt') AND payload IS NOT NULL",
  );
  const deleted = await sql.run(
    `DELETE FROM outbox WHERE kind IN ('confirm', 'message') AND state IN ('sent', 'failed', 'in-doubt')
     AND created_at < ?`,
    [new Date(now.getTime() - recordDays * 86_400_000).toISOString()],
  );
  return { cleared: cleared.changes, deleted: deleted.changes };
}
