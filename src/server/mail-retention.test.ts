import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { deleteOldMails } from './mail-retention.ts';
import { queueMail } from './outbox.ts';

const now = new Date('2024-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

function outbox() {
  const db = openDatabase(':memory:');
  const queue = (cause: string, kind: 'confirm' | 'message', state: string, age: number) => {
    queueMail(
      db,
      {
        recipient: 'sleutel',
        cause,
        kind,
        content: { to: 'lezer@example.nl', subject: 'Onderwerp', text: 'Tekst' },
      },
      daysAgo(age),
    );
    // As the sender leaves a mail it sent: without its content.
    db.prepare(
      "UPDATE outbox SET state = ?, payload = CASE WHEN ? = 'sent' THEN NULL ELSE payload END WHERE cause = ?",
    ).run(state, state, cause);
  };
  queue('oud-verstuurd', 'confirm', 'sent', 31);
  queue('oud-mislukt', 'message', 'failed', 31);
  queue('oud-wachtend', 'confirm', 'pending', 31);
  queue('nieuw-verstuurd', 'confirm', 'sent', 2);
  queue('nieuw-onzeker', 'confirm', 'in-doubt', 2);
  queue('nieuw-wachtend', 'message', 'pending', 2);
  db.prepare(
    `INSERT INTO outbox (recipient, cause, kind, priority, series, part, state, next_try_at, created_at)
     VALUES ('sleutel', 'part:reeks:2', 'part', 2, 'reeks', 2, 'sent', ?, ?)`,
  ).run(daysAgo(400).toISOString(), daysAgo(400).toISOString());
  return db;
}

const rows = (db: ReturnType<typeof openDatabase>) =>
  db.prepare('SELECT cause, payload IS NOT NULL AS content FROM outbox ORDER BY id').all();

describe('deleteOldMails', () => {
  it('clears the content of mails that will never be sent, and deletes old rows of confirmations and authors’ mails', () => {
    const db = outbox();
    expect(deleteOldMails(db, 30, now)).toEqual({ cleared: 2, deleted: 2 });
    expect(rows(db)).toEqual([
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
