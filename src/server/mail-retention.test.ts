import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { deleteOldMails } from './mail-retention.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const now = new Date('2024-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** Mails in the outbox as queueMail (outbox.ts) queues them and the sender leaves them. */
async function outbox(db: Database) {
  const queue = async (cause: string, kind: 'confirm' | 'message', state: string, age: number) => {
    const content = { to: 'lezer@example.nl', subject: 'Onderwerp', text: 'Tekst' };
    // As the sender leaves a mail it sent: without its content.
    await db.run(
      `INSERT INTO outbox (recipient, cause, kind, priority, payload, state, next_try_at, created_at)
       VALUES ('sleutel', ?, ?, ?, ?, ?, ?, ?)`,
      [
        cause,
        kind,
        kind === 'confirm' ? 0 : 1,
        state === 'sent' ? null : JSON.stringify(content),
        state,
        daysAgo(age),
        daysAgo(age),
      ],
    );
  };
  await queue('oud-verstuurd', 'confirm', 'sent', 31);
  await queue('oud-mislukt', 'message', 'failed', 31);
  await queue('oud-wachtend', 'confirm', 'pending', 31);
  await queue('nieuw-verstuurd', 'confirm', 'sent', 2);
  await queue('nieuw-onzeker', 'confirm', 'in-doubt', 2);
  await queue('nieuw-wachtend', 'message', 'pending', 2);
  await db.run(
    `INSERT INTO outbox (recipient, cause, kind, priority, series, part, state, next_try_at, created_at)
     VALUES ('sleutel', 'part:reeks:2', 'part', 2, 'reeks', 2, 'sent', ?, ?)`,
    [daysAgo(400), daysAgo(400)],
  );
}

const rows = (db: Database) =>
  db.all('SELECT cause, CASE WHEN payload IS NOT NULL THEN 1 ELSE 0 END AS content FROM outbox ORDER BY id');

describe.each(testedDatabases())('deleteOldMails on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
    await outbox(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('clears the content of mails that will never be sent, and deletes old rows of confirmations and authors’ mails', async () => {
    expect(await db.transaction((tx) => deleteOldMails(tx, 30, now))).toEqual({ cleared: 2, deleted: 2 });
    expect(await rows(db)).toEqual([
      // Still to be sent: kept whole, however old.
      { cause: 'oud-wachtend', content: 1 },
      // Sent, without content: kept as a record for 30 days.
      { cause: 'nieuw-verstuurd', content: 0 },
      { cause: 'nieuw-onzeker', content: 0 },
      { cause: 'nieuw-wachtend', content: 1 },
      // A part's mail keeps its row, for "never twice" and the report.
      { cause: 'part:reeks:2', content: 0 },
    ]);
  });
});
