import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import type { Database } from './database.ts';
import { openDatabase } from './db.ts';
import { copyDatabase, copiedTables, tablesWithRows } from './db-copy.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

// Moving to PostgreSQL: only where a PostgreSQL server is there to copy into.
describe.runIf(testedDatabases().includes('postgres'))('copying SQLite into PostgreSQL', () => {
  let source: DatabaseSync;
  let target: Database;
  beforeEach(async () => {
    source = openDatabase(':memory:');
    target = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    source.close();
    await target.close();
  });

  function fill(events: number) {
    source.exec(
      `INSERT INTO pages VALUES ('/reeks/deel-1/', 'part', 'Deel 1', 'Job Coenen', 'reeks', 'Reeks', 1, 1, NULL)`,
    );
    const insert = source.prepare(
      `INSERT INTO events (day, type, path, author, series, part, channel, source, read_on)
       VALUES (?, 'pageview', '/reeks/deel-1/', 'Job Coenen', 'reeks', 1, NULL, ?, 0)`,
    );
    for (let i = 0; i < events; i++) insert.run(`2026-12-0${1 + (i % 7)}`, i % 3 ? 'direct' : 'linkedin');
    source.exec(`INSERT INTO tags VALUES ('source', 'linkedin', '2026-12-01'), ('source', 'direct', '2026-12-01');
      INSERT INTO messages (created_at, path, author, series, part, name, email, question)
        VALUES ('2026-12-07T10:00:00.000Z', '/reeks/deel-1/', 'Job Coenen', 'reeks', 1, 'Anna', 'anna@example.nl', 'Hoe?');
      INSERT INTO followers (address_key, email, series, confirmed_at, source_path)
        VALUES ('k1', 'anna@example.nl', 'reeks', '2026-12-07T10:00:00.000Z', '/reeks/deel-1/');
      INSERT INTO outbox (recipient, cause, kind, priority, follower_id, series, part, state, next_try_at, created_at)
        VALUES ('k1', 'part:reeks:2', 'part', 2, 1, 'reeks', 2, 'sent', '2026-12-07T10:00:00.000Z', '2026-12-07T10:00:00.000Z');
      INSERT INTO reading_depth (view, day, path, author, series, part, furthest, end_reached, engaged)
        VALUES ('0b6f6c1e-3c1a-4a57-9a3e-2f1d6f3c9b10', '2026-12-07', '/reeks/deel-1/', 'Job Coenen', 'reeks', 1, 3, 1, '1-3m');`);
  }

  it('copies every row, checks the counts, and numbers new rows after the copied ones', async () => {
    fill(1234);
    const copied = await copyDatabase(source, target);
    expect(copied.map(({ table }) => table)).toEqual([...copiedTables]);
    expect(Object.fromEntries(copied.map(({ table, rows }) => [table, rows]))).toMatchObject({
      events: 1234,
      pages: 1,
      tags: 2,
      messages: 1,
      followers: 1,
      outbox: 1,
      reading_depth: 1,
    });
    expect(
      await target.all('SELECT source, COUNT(*) AS n FROM events GROUP BY source ORDER BY source'),
    ).toEqual([
      { source: 'direct', n: 822 },
      { source: 'linkedin', n: 412 },
    ]);
    expect(await target.get('SELECT name, email, question FROM messages')).toEqual({
      name: 'Anna',
      email: 'anna@example.nl',
      question: 'Hoe?',
    });
    const next = await target.get<{ id: number }>(
      `INSERT INTO events (day, type, path, author) VALUES ('2026-12-08', 'pageview', '/', 'Job Coenen') RETURNING id`,
    );
    expect(next!.id).toBe(1235);
  });

  it('says which tables of the target hold rows, so a second copy is refused before it starts', async () => {
    expect(await tablesWithRows(target)).toEqual([]);
    fill(3);
    await copyDatabase(source, target);
    expect(await tablesWithRows(target)).toEqual([
      'pages',
      'events',
      'tags',
      'messages',
      'followers',
      'outbox',
      'reading_depth',
    ]);
  });

  it('copies nothing when a row cannot be copied', async () => {
    fill(10);
    // A row PostgreSQL refuses (the kind is outside the outbox's CHECK): the whole copy is rolled back.
    source.exec(`PRAGMA ignore_check_constraints = 1;
      INSERT INTO outbox (recipient, cause, kind, priority, next_try_at, created_at) VALUES ('x', 'y', 'spam', 0, 'a', 'b');`);
    await expect(copyDatabase(source, target)).rejects.toThrow(/check constraint/);
    expect(await tablesWithRows(target)).toEqual([]);
  });
});
