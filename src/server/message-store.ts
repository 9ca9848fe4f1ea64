// Messages in the site's database: stored with the page they came from (and, unless the reader
// asked not to be tracked, counted as a contact click on that page in the same transaction),
// listed newest first for the report and `npm run messages`, deleted once past the retention.
import type { DatabaseSync } from 'node:sqlite';
import type { Message, StoredMessage } from '../lib/message-form.ts';
import type { PageOrigin } from '../lib/site-page.ts';
import type { Day } from '../lib/period.ts';
import type { TrafficSource } from '../lib/traffic-source.ts';
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
 * Stores a message inside the caller's transaction (src/server/db.ts) and returns its id, or
 * undefined when its form token was used before (a form sent twice). With `clickDay` the
 * contact click is recorded in the same transaction; without it nothing but the message is.
 */
export function insertMessage(
  db: DatabaseSync,
  message: Message,
  origin: PageOrigin,
  createdAt: Date,
  { clickDay, source, token }: StoreOptions = {},
): number | undefined {
  if (token) {
    const { changes } = db
      .prepare('INSERT INTO used_form_tokens (token, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
      .run(token.value, token.expiresAt.toISOString());
    if (changes === 0) return undefined;
  }
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO messages (created_at, path, author, series, part, name, email, question)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      createdAt.toISOString(),
      origin.path,
      origin.author,
      origin.series ?? null,
      origin.part ?? null,
      message.name,
      message.email,
      message.question,
    );
  if (clickDay) {
    recordEvent(
      db,
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
  return Number(lastInsertRowid);
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
export function readMessages(
  db: DatabaseSync,
  { limit = -1, offset = 0 }: { limit?: number; offset?: number } = {},
): StoredMessage[] {
  const rows = db
    .prepare(`${messageQuery} ${newestFirst} LIMIT ? OFFSET ?`)
    .all(limit, offset) as unknown as MessageRow[];
  return rows.map(toStoredMessage);
}

export const countMessages = (db: DatabaseSync) =>
  (db.prepare('SELECT count(*) AS count FROM messages').get() as { count: number }).count;

/** Every message left with this e-mail address (in any case), newest first: a reader's request to see their data. */
export function messagesFrom(db: DatabaseSync, email: string): StoredMessage[] {
  const rows = db
    .prepare(`${messageQuery} WHERE lower(messages.email) = lower(?) ${newestFirst}`)
    .all(email.trim()) as unknown as MessageRow[];
  return rows.map(toStoredMessage);
}

/** Deletes every message left with this e-mail address (in any case), nothing else; returns how many. */
export function deleteMessagesFrom(db: DatabaseSync, email: string): number {
  return Number(db.prepare('DELETE FROM messages WHERE lower(email) = lower(?)').run(email.trim()).changes);
}

/** The moment before which messages are deleted: exactly `retentionDays` × 24 hours ago. */
export function retentionCutoff(retentionDays: number, now: Date): Date {
  return new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
}

/**
 * Deletes every message older than `retentionDays`, and the form tokens that have expired;
 * returns how many messages. Runs inside the caller's transaction, or on its own.
 */
export function deleteOldMessages(db: DatabaseSync, retentionDays: number, now: Date): number {
  db.prepare('DELETE FROM used_form_tokens WHERE expires_at < ?').run(now.toISOString());
  const { changes } = db
    .prepare('DELETE FROM messages WHERE created_at < ?')
    .run(retentionCutoff(retentionDays, now).toISOString());
  return Number(changes);
}
