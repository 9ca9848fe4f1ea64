import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastDays } from '../lib/period.ts';
import { type Database, sqliteDatabase } from './database.ts';
import { openDatabase, schemaVersion } from './db.ts';
import { recordEvent, syncPages, type PageRecord } from './event-store.ts';
import {
  countMessages,
  deleteMessagesFrom,
  deleteOldMessages,
  messagesFrom,
  readMessages,
  retentionCutoff,
} from './message-store.ts';
import { storeMessage } from '../../e2e/fixtures/messages.ts';
import { messagesText } from '../lib/report-format.ts';
import { readReport } from './report.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const part2: PageRecord = {
  path: '/reeks/twee/',
  kind: 'part',
  title: 'Twee',
  author: 'job',
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: 2,
};
const origin = { path: part2.path, author: 'job', series: 'reeks', part: 2 };
const message = { name: 'Anna', email: 'anna@example.nl', question: 'Hoe begin ik?' };

const count = async (db: Database, table: string) =>
  (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

describe.each(testedDatabases())('the message store on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
    await syncPages(db, [part2]);
  });
  afterEach(async () => {
    await db.close();
  });

  describe('insertMessage', () => {
    it('stores the message with its part, series and author, and counts it as a contact click by message', async () => {
      const id = await storeMessage(db, message, origin, new Date('2024-05-10T22:30:00Z'), {
        clickDay: '2024-05-11',
      });
      expect(await db.all('SELECT * FROM messages')).toEqual([
        {
          id,
          created_at: '2024-05-10T22:30:00.000Z',
          path: part2.path,
          author: 'job',
          series: 'reeks',
          part: 2,
          ...message,
        },
      ]);
      expect(await db.all('SELECT day, type, channel, path, part FROM events')).toEqual([
        { day: '2024-05-11', type: 'contact_click', channel: 'message', path: part2.path, part: 2 },
      ]);

      const report = await readReport(db, lastDays(7, new Date('2024-05-11T10:00:00Z'), 'Europe/Amsterdam'));
      expect(report.pages[0]).toMatchObject({
        title: 'Twee',
        clicks: 1,
        clicksByChannel: { email: 0, phone: 0, linkedin: 0, message: 1 },
      });
      expect(report.channels.find((channel) => channel.channel === 'message')).toMatchObject({
        name: 'Bericht',
        clicks: 1,
      });
    });

    it('counts no click for a reader who asked not to be tracked, but keeps the message', async () => {
      await storeMessage(db, message, origin, new Date());
      expect([await count(db, 'messages'), await count(db, 'events')]).toEqual([1, 0]);
    });

    it('stores neither when one of them fails', async () => {
      await db.run('DROP TABLE events');
      await expect(
        storeMessage(db, message, origin, new Date(), { clickDay: '2024-05-11' }),
      ).rejects.toThrow();
      expect(await count(db, 'messages')).toBe(0);
    });

    it('accepts each form token once: the same form sent again stores nothing more', async () => {
      const token = { value: '1715380000000.abc', expiresAt: new Date('2024-05-12T00:00:00Z') };
      const first = await storeMessage(db, message, origin, new Date('2024-05-11T10:00:00Z'), {
        clickDay: '2024-05-11',
        token,
      });
      const resent = await storeMessage(db, message, origin, new Date('2024-05-11T10:00:01Z'), {
        clickDay: '2024-05-11',
        token,
      });
      expect(first).toBeTypeOf('number');
      expect(resent).toBeUndefined();
      expect([await count(db, 'messages'), await count(db, 'events')]).toEqual([1, 1]);
      // Sent twice at the same moment (two processes), the token is still accepted once.
      const twice = { value: '1715380000001.abc', expiresAt: new Date('2024-05-12T00:00:00Z') };
      const both = await Promise.all(
        [0, 1].map(() =>
          storeMessage(db, message, origin, new Date('2024-05-11T10:00:02Z'), { token: twice }),
        ),
      );
      expect(both.filter((id) => id !== undefined)).toHaveLength(1);
      expect(await count(db, 'messages')).toBe(2);
      // Once expired, the token is forgotten with the old messages (it would be refused as expired anyway).
      await deleteOldMessages(db, 365, new Date('2024-05-12T00:00:01Z'));
      expect(await count(db, 'used_form_tokens')).toBe(0);
    });
  });

  describe('readMessages', () => {
    it('lists messages newest first, with the part they came from', async () => {
      await storeMessage(db, { ...message, question: 'eerste' }, origin, new Date('2024-05-01T08:00:00Z'));
      await storeMessage(db, { ...message, question: 'derde' }, origin, new Date('2024-05-03T08:00:00Z'));
      await storeMessage(
        db,
        { ...message, question: 'tweede' },
        { ...origin, path: '/weg/' },
        new Date('2024-05-02T08:00:00Z'),
      );
      const messages = await readMessages(db);
      expect(messages.map((m) => m.question)).toEqual(['derde', 'tweede', 'eerste']);
      expect(messages[0]).toMatchObject({
        createdAt: new Date('2024-05-03T08:00:00Z'),
        name: 'Anna',
        page: { kind: 'part', title: 'Twee', seriesTitle: 'Reeks', part: 2 },
      });
      // A page the server never knew is named by its address.
      expect(messages[1]!.page).toMatchObject({ kind: 'unknown', title: '/weg/', path: '/weg/' });
    });
  });

  describe('deleteOldMessages', () => {
    const now = new Date('2025-05-10T12:00:00Z');

    it('deletes messages older than the retention period, to the millisecond, and keeps the rest', async () => {
      const cutoff = retentionCutoff(365, now);
      expect(cutoff.toISOString()).toBe('2024-05-10T12:00:00.000Z');
      for (const [question, offset] of [
        ['te oud', -1],
        ['precies op de grens', 0],
        ['net jong genoeg', 1],
        ['van vandaag', 365 * 86_400_000],
      ] as const) {
        await storeMessage(db, { ...message, question }, origin, new Date(cutoff.getTime() + offset));
      }
      expect(await deleteOldMessages(db, 365, now)).toBe(1);
      expect((await readMessages(db)).map((m) => m.question)).toEqual([
        'van vandaag',
        'net jong genoeg',
        'precies op de grens',
      ]);
      expect(await deleteOldMessages(db, 365, now)).toBe(0);
    });

    it('follows the configured number of days', async () => {
      await storeMessage(db, message, origin, new Date('2025-05-01T12:00:00Z'));
      expect(await deleteOldMessages(db, 10, now)).toBe(0);
      expect(await deleteOldMessages(db, 9, now)).toBe(0);
      expect(await deleteOldMessages(db, 8, now)).toBe(1);
    });

    it('leaves the events alone: the report keeps its counts', async () => {
      await storeMessage(db, message, origin, new Date('2020-01-01T00:00:00Z'), { clickDay: '2020-01-01' });
      await deleteOldMessages(db, 30, now);
      expect([await count(db, 'messages'), await count(db, 'events')]).toEqual([0, 1]);
    });
  });

  describe('reading and deleting', () => {
    it('reads a page of messages at a time, newest first, and counts them all', async () => {
      for (let day = 1; day <= 7; day++)
        await storeMessage(
          db,
          { ...message, question: `dag ${day}` },
          origin,
          new Date(`2024-05-0${day}T08:00:00Z`),
        );
      expect(await countMessages(db)).toBe(7);
      expect((await readMessages(db, { limit: 3 })).map((m) => m.question)).toEqual([
        'dag 7',
        'dag 6',
        'dag 5',
      ]);
      expect((await readMessages(db, { limit: 3, offset: 6 })).map((m) => m.question)).toEqual(['dag 1']);
      expect(await readMessages(db)).toHaveLength(7);
    });

    it('finds and deletes the messages of one address, in any case, and nothing else', async () => {
      await storeMessage(db, { ...message, question: 'een' }, origin, new Date('2024-05-01T08:00:00Z'), {
        clickDay: '2024-05-01',
      });
      await storeMessage(
        db,
        { ...message, email: 'Anna@Example.NL', question: 'twee' },
        origin,
        new Date('2024-05-02T08:00:00Z'),
      );
      await storeMessage(
        db,
        { ...message, email: 'anna@example.nl.evil', question: 'ander' },
        origin,
        new Date('2024-05-03T08:00:00Z'),
      );
      expect((await messagesFrom(db, ' anna@example.nl ')).map((m) => m.question)).toEqual(['twee', 'een']);
      expect(await deleteMessagesFrom(db, 'ANNA@example.nl')).toBe(2);
      expect((await readMessages(db)).map((m) => m.question)).toEqual(['ander']);
      // The contact click it counted holds nothing personal: the report keeps it.
      expect(await count(db, 'events')).toBe(1);
    });
  });

  describe('messagesText', () => {
    it('prints every message, newest first, with when and where it was left, and nothing a terminal would run', async () => {
      await storeMessage(db, { ...message, question: 'eerste' }, origin, new Date('2024-05-01T08:00:00Z'));
      await storeMessage(
        db,
        { ...message, question: 'tweede regel één\nregel twee \u001b[2J' },
        origin,
        new Date('2024-05-03T08:00:00Z'),
      );
      const text = messagesText(await readMessages(db), 'Europe/Amsterdam', 365);
      expect(text).toMatch(/^Berichten van lezers: 2, het nieuwste eerst \(bewaard 365 dagen\)\n/);
      expect(text).toContain(
        '3 mei 2024 om 10:00 · Reeks, deel 2: Twee\nAnna <anna@example.nl>\n\n  tweede regel één\n  regel twee [2J',
      );
      expect(text.indexOf('tweede')).toBeLessThan(text.indexOf('eerste'));
      expect(text).not.toContain('\u001b');
      expect(messagesText([], 'Europe/Amsterdam', 30)).toContain('Er zijn (nog) geen berichten.');
    });
  });
});

describe('the message store on SQLite', () => {
  it('keeps nothing about the reader but what they typed', async () => {
    const db = openDatabase(':memory:');
    const columns = (db.prepare('PRAGMA table_info(messages)').all() as { name: string }[]).map(
      (column) => column.name,
    );
    expect(columns).toEqual([
      'id',
      'created_at',
      'path',
      'author',
      'series',
      'part',
      'name',
      'email',
      'question',
    ]);
  });
  describe('the schema step for messages', () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

    it('is added to a database from before messages, keeping its events', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'reeks-db-'));
      dirs.push(dir);
      const path = join(dir, 'site.db');
      const old = openDatabase(path);
      await recordEvent(
        sqliteDatabase(old),
        { type: 'pageview', path: part2.path, author: 'job', series: 'reeks', part: 2, channel: null },
        '2024-05-10',
      );
      // Back to the first schema step, as a database from before this one.
      old.exec(`DROP TABLE followers; DROP TABLE follow_requests; DROP TABLE follow_days;
      DROP TABLE publications; DROP TABLE outbox; DROP TABLE login_failures; DROP TABLE login_turn;
      DROP TABLE tags; DROP TABLE messages; DROP TABLE used_form_tokens; DROP TABLE publish_runs; DROP TABLE reading_depth; ALTER TABLE pages DROP COLUMN sections;
      ALTER TABLE events DROP COLUMN source; ALTER TABLE events DROP COLUMN medium;
      ALTER TABLE events DROP COLUMN campaign; ALTER TABLE events DROP COLUMN read_on;
      PRAGMA user_version = 1;`);
      old.close();

      const connection = openDatabase(path);
      expect(connection.prepare('PRAGMA user_version').get()).toEqual({ user_version: schemaVersion });
      const db = sqliteDatabase(connection);
      expect(await count(db, 'events')).toBe(1);
      await storeMessage(db, message, origin, new Date());
      expect(await count(db, 'messages')).toBe(1);
      await db.close();
    });
  });
});
