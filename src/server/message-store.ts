// Messages in the site's database: stored with the page they came from (and, unless the reader
// asked not to be tracked, counted as a contact click on that page in the same transaction),
// listed newest first for the report and `npm run messages`, deleted once past the retention.
import type { DatabaseSync } from 'node:sqlite';
import type { Message } from '../lib/messages.ts';
import type { Day } from '../lib/period.ts';
import { recordEvent } from './event-store.ts';

/** Where a message was left: a part, its series and its author. */
export interface MessageOrigin {
  path: string;
  author: string;
  series?: string;
  part?: number;
}

/** A stored message with the page it came from, as the report names it. */
export interface StoredMessage extends Message {
  id: number;
  createdAt: Date;
  path: string;
  author: string;
  /** The page as the server last knew it; 'unknown' for a page it never knew. */
  page: { path: string; kind: 'part' | 'author' | 'unknown'; title: string; seriesTitle?: string; part?: number };
}

/**
 * Stores a message and returns its id. With `clickDay`, the same transaction records the
 * `contact_click` with channel `message` the report counts; without it (Sec-GPC, DNT) nothing
 * but the message is stored. When this returns, both are committed.
 */
export function storeMessage(db: DatabaseSync, message: Message, origin: MessageOrigin, createdAt: Date, clickDay?: Day): number {
  db.exec('BEGIN IMMEDIATE');
  try {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO messages (created_at, path, author, series, part, name, email, question)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(createdAt.toISOString(), origin.path, origin.author, origin.series ?? null, origin.part ?? null, message.name, message.email, message.question);
    if (clickDay) {
      recordEvent(
        db,
        { type: 'contact_click', channel: 'message', path: origin.path, author: origin.author, series: origin.series ?? null, part: origin.part ?? null },
        clickDay,
      );
    }
    db.exec('COMMIT');
    return Number(lastInsertRowid);
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

interface MessageRow {
  id: number;
  created_at: string;
  path: string;
  author: string;
  name: string;
  email: string;
  question: string;
  kind: string | null;
  title: string | null;
  series_title: string | null;
  part: number | null;
}

/** Every stored message, newest first. */
export function readMessages(db: DatabaseSync): StoredMessage[] {
  const rows = db
    .prepare(
      `SELECT messages.id, messages.created_at, messages.path, messages.author, messages.name, messages.email,
              messages.question, pages.kind, pages.title, pages.series_title, COALESCE(pages.part, messages.part) AS part
       FROM messages LEFT JOIN pages USING (path)
       ORDER BY messages.created_at DESC, messages.id DESC`,
    )
    .all() as unknown as MessageRow[];
  return rows.map((row) => ({
    id: row.id,
    createdAt: new Date(row.created_at),
    path: row.path,
    author: row.author,
    name: row.name,
    email: row.email,
    question: row.question,
    page: {
      path: row.path,
      kind: (row.kind ?? 'unknown') as StoredMessage['page']['kind'],
      title: row.title ?? row.path,
      seriesTitle: row.series_title ?? undefined,
      part: row.part ?? undefined,
    },
  }));
}

/** The moment before which messages are deleted: exactly `retentionDays` × 24 hours ago. */
export function retentionCutoff(retentionDays: number, now: Date): Date {
  return new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
}

/** Deletes every message older than `retentionDays`; returns how many. */
export function deleteOldMessages(db: DatabaseSync, retentionDays: number, now: Date): number {
  const { changes } = db.prepare('DELETE FROM messages WHERE created_at < ?').run(retentionCutoff(retentionDays, now).toISOString());
  return Number(changes);
}
