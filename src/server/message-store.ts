// Messages in the site's database: stored with the page they came from (and, unless the reader
// asked not to be tracked, counted as a contact click on that page in the same transaction),
// listed newest first for the report and `npm run messages`, deleted once past the retention.
import type { Message, StoredMessage } from '../lib/message-form.ts';
import type { PageOrigin } from '../lib/site-page.ts';
import type { Day } from '../lib/period.ts';
import type { TrafficSource } from '../lib/traffic-source.ts';
import type { Sql } from './database.ts';
import { namedPage, recordEvent, type PageColumns } from './event-store.ts';

export type { StoredMessage };

export interface StoreOptions {
  /** Records the `contact_click` with channel `message` the report counts; unset with Sec-GPC or DNT. */
  clickDay?: Day;
  /** Where the reader's view of the part came from: the click counts toward it. */
  source?: TrafficSource;
  /** The form's token, accepted once: a message with a token already used is not stored. */
  token?: { value: string; expiresAt: Date };
}

/**
 * Stores a message inside the caller's transaction and returns its id, or undefined when its form
 * token was used before (a form sent twice). The token's row decides, so a token is accepted once
 * also when two processes get the same form at once. With `clickDay` the contact click is
 * recorded in the same transaction; without it nothing but the message is.
 */
export async function insertMessage(
  sql: Sql,
  message: Message,
  origin: PageOrigin,
  createdAt: Date,
  { clickDay, source, token }: StoreOptions = {},
): Promise<number | undefined> {
  if (token) {
    const { changes } = await sql.run(
      'INSERT INTO used_form_tokens (token, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
      [token.value, token.expiresAt.toISOString()],
    );
    if (changes === 0) return undefined;
  }
  const row = await sql.get<{ id: number }>(
    `INSERT INTO messages (created_at, path, author, series, part, name, email, question)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      createdAt.toISOString(),
      origin.path,
      origin.author,
      origin.series ?? null,
      origin.part ?? null,
      message.name,
      message.email,
      message.question,
    ],
  );
  if (clickDay) {
    await recordEvent(
      sql,
      {
        type: 'contact_click',
        channel: 'message',
        path: origin.path,
        author: origin.author,
        series: origin.series ?? null,
        part: origin.part ?? null,
        source,
      },
      clickDay,
    );
  }
  return Number(row!.id);
}

interface MessageRow extends PageColumns {
  id: number;
  created_at: string;
  author: string;
  name: string;
  email: string;
  question: string;
}

const messageQuery = `SELECT messages.id, messages.created_at, messages.path, messages.author, messages.name, messages.email,
         messages.question, pages.kind, pages.title, pages.series_title, COALESCE(pages.part, messages.part) AS part
  FROM messages LEFT JOIN pages USING (path)`;
const newestFirst = 'ORDER BY messages.created_at DESC, messages.id DESC';

function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    createdAt: new Date(row.created_at),
    path: row.path,
    author: row.author,
    name: row.name,
    email: row.email,
    question: row.question,
    page: namedPage(row),
  };
}

/** Stored messages, newest first: all of them, or `limit` from `offset` on (the report's pages). */
export async function readMessages(
  sql: Sql,
  { limit, offset = 0 }: { limit?: number; offset?: number } = {},
): Promise<StoredMessage[]> {
  const rows =
    limit === undefined
      ? (await sql.all<MessageRow>(`${messageQuery} ${newestFirst}`)).slice(offset)
      : await sql.all<MessageRow>(`${messageQuery} ${newestFirst} LIMIT ? OFFSET ?`, [limit, offset]);
  return rows.map(toStoredMessage);
}

export const countMessages = async (sql: Sql) =>
  (await sql.get<{ count: number }>('SELECT COUNT(*) AS count FROM messages'))!.count;

/** Every message left with this e-mail address (in any case), newest first: a reader's request to see their data. */
export async function messagesFrom(sql: Sql, email: string): Promise<StoredMessage[]> {
  const rows = await sql.all<MessageRow>(
    `${messageQuery} WHERE lower(messages.email) = lower(?) ${newestFirst}`,
    [email.trim()],
  );
  return rows.map(toStoredMessage);
}

/** Deletes every message left with this e-mail address (in any case), nothing else; returns how many. */
export async function deleteMessagesFrom(sql: Sql, email: string): Promise<number> {
  return (await sql.run('DELETE FROM messages WHERE lower(email) = lower(?)', [email.trim()])).changes;
}

/** The moment before which messages are deleted: exactly `retentionDays` × 24 hours ago. */
export function retentionCutoff(retentionDays: number, now: Date): Date {
  return new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
}

/**
 * Deletes every message older than `retentionDays`, and the form tokens that have expired;
 * returns how many messages. Runs inside the caller's transaction, or statement by statement.
 */
export async function deleteOldMessages(sql: Sql, retentionDays: number, now: Date): Promise<number> {
  await sql.run('DELETE FROM used_form_tokens WHERE expires_at < ?', [now.toISOString()]);
  const { changes } = await sql.run('DELETE FROM messages WHERE created_at < ?', [
    retentionCutoff(retentionDays, now).toISOString(),
  ]);
  return changes;
}
