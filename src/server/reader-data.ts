// Everything the database keeps about one e-mail address, for a reader's request to see or delete
// it (`npm run messages -- --email <adres> [--verwijder]`): the messages left with it, its follows
// of a series, the confirmation requests made for it, and the mails to it or about it in the
// outbox. A follower and a request are found by the address's keyed hash (follow-links.ts), a
// follower also by the address itself; a mail by its recipient's hash, by the follower it is for,
// by the message it is about, or by the address in the content it keeps until it is sent.
import type { ReaderFollow, ReaderMail } from '../lib/report-format.ts';
import type { StoredMessage } from '../lib/message-form.ts';
import type { Sql } from './database.ts';
import { deleteMessagesFrom, messagesFrom } from './message-store.ts';

export interface ReaderData {
  messages: StoredMessage[];
  follows: ReaderFollow[];
  mails: ReaderMail[];
  /** Confirmation mails asked for this address whose link has not expired (no address stored, only its hash). */
  requests: number;
}

/** How the address is looked up: as given, and as its keyed hash when the secret is known. */
export interface ReaderAddress {
  email: string;
  /** Undefined when no secret was ever kept: then nothing was stored under a hash either. */
  key?: string;
}

const followerIds = `SELECT id FROM followers WHERE address_key = $key OR lower(email) = lower($email)`;

/**
 * Whether the mail's content, kept as JSON until it is sent (outbox.ts OutgoingMail), names the
 * address as recipient or reply-to. The dialects read JSON differently: SQLite's json_extract,
 * skipping content that is not JSON; PostgreSQL's jsonb, on content the outbox always wrote with
 * JSON.stringify (CASE: PostgreSQL does not promise to test an AND's operands in order).
 */
function namesAddress(sql: Sql): string {
  if (sql.dialect === 'sqlite') {
    const named = (path: string) => `lower(json_extract(payload, '${path}')) = lower($email)`;
    return `(payload IS NOT NULL AND json_valid(payload)
      AND (${named('$.to')} OR ${named('$.to.address')} OR ${named('$.replyTo.address')}))`;
  }
  const named = (path: string) => `lower(payload::jsonb #>> '${path}') = lower($email)`;
  return `CASE WHEN payload LIKE '{%' THEN ${named('{to}')} OR ${named('{to,address}')} OR ${named('{replyTo,address}')}
    ELSE false END`;
}

/**
 * The outbox rows that are this address's: to it, for one of its follows, about its messages, or
 * naming it as recipient or reply-to in content not yet sent.
 */
const mailsOf = (sql: Sql) => `recipient = $key OR follower_id IN (${followerIds})
  OR cause IN (SELECT 'message:' || id FROM messages WHERE lower(email) = lower($email))
  OR ${namesAddress(sql)}`;

const params = ({ email, key }: ReaderAddress) => ({ email: email.trim(), key: key ?? null });

export async function readerData(sql: Sql, address: ReaderAddress): Promise<ReaderData> {
  const named = params(address);
  const follows = (
    await sql.all<
      Omit<ReaderFollow, 'failing' | 'confirmedAt'> & {
        failing: number;
        confirmedAt: string;
      }
    >(
      `SELECT f.series, COALESCE(p.series_title,
                       (SELECT MAX(series_title) FROM pages WHERE pages.series = f.series), f.series) AS "seriesTitle",
              f.confirmed_at AS "confirmedAt", f.source_path AS "sourcePath",
              CASE WHEN f.failing_at IS NOT NULL THEN 1 ELSE 0 END AS failing
       FROM followers f
       LEFT JOIN (SELECT series, MAX(series_title) AS series_title FROM publications GROUP BY series) p
         USING (series)
       WHERE f.id IN (${followerIds}) ORDER BY f.series, f.id`,
      named,
    )
  ).map((row) => ({ ...row, confirmedAt: new Date(row.confirmedAt), failing: row.failing === 1 }));
  const mails = (
    await sql.all<
      Omit<ReaderMail, 'createdAt' | 'sentAt'> & {
        createdAt: string;
        sentAt: string | null;
      }
    >(
      `SELECT kind, series, part, state, created_at AS "createdAt", sent_at AS "sentAt" FROM outbox
       WHERE ${mailsOf(sql)} ORDER BY created_at, id`,
      named,
    )
  ).map((row) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    sentAt: row.sentAt === null ? null : new Date(row.sentAt),
  }));
  const requests = (await sql.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM follow_requests WHERE address_key = $key',
    {
      key: named.key,
    },
  ))!.n;
  return { messages: await messagesFrom(sql, address.email), follows, mails, requests };
}

/**
 * Deletes everything readerData finds, nothing else; run it in one transaction. A follow deleted
 * so is not counted as an unsubscribe: the report's counts of the days before stay as they were.
 */
export async function deleteReaderData(
  sql: Sql,
  address: ReaderAddress,
): Promise<{ messages: number; follows: number; mails: number; requests: number }> {
  const named = params(address);
  // Mails first: they are found through the follows and messages deleted next.
  const mails = (await sql.run(`DELETE FROM outbox WHERE ${mailsOf(sql)}`, named)).changes;
  const follows = (await sql.run(`DELETE FROM followers WHERE id IN (${followerIds})`, named)).changes;
  const requests = (await sql.run('DELETE FROM follow_requests WHERE address_key = $key', { key: named.key }))
    .changes;
  return { messages: await deleteMessagesFrom(sql, address.email), follows, mails, requests };
}
