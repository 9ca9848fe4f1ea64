import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseUnavailable, isUnavailable, numberedQuery, type Database } from './database.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

describe('numberedQuery', () => {
  it('numbers positional parameters in order', () => {
    expect(numberedQuery('SELECT ? AS a, ? AS b', [1, 'x'])).toEqual({
      text: 'SELECT $1 AS a, $2 AS b',
      values: [1, 'x'],
    });
  });

  it('gives a named parameter one number, however often it is used', () => {
    expect(numberedQuery('WHERE a = $key OR b = $email OR c = $key', { email: 'e', key: 'k' })).toEqual({
      text: 'WHERE a = $1 OR b = $2 OR c = $1',
      values: ['k', 'e'],
    });
  });

  it('refuses a query that names a parameter it is not given', () => {
    expect(() => numberedQuery('WHERE a = $missing', {})).toThrow(/\$missing/);
  });
});

describe('isUnavailable', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });
  it('takes a database out of reach for a 503, not a wrong query', () => {
    expect(isUnavailable(withCode('ECONNREFUSED'))).toBe(true);
    expect(isUnavailable(withCode('57P01'))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new DatabaseUnavailable('lost'))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('database is locked'), { errcode: 5 }))).toBe(true);
    expect(isUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(
      true,
    );
    expect(isUnavailable(withCode('42601'))).toBe(false);
    expect(isUnavailable(Object.assign(new Error('constraint'), { errcode: 19 }))).toBe(false);
    expect(isUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('42601')]))).toBe(false);
  });
});

describe.each(testedDatabases())('the database interface on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  const addTag = (name: string) =>
    db.run('INSERT INTO tags (kind, name, first_day) VALUES (?, ?, ?)', ['source', name, '2026-12-07']);
  const count = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tags'))!.n;

  it('reads rows with positional and named parameters, counts as numbers', async () => {
    await addTag('nieuwsbrief');
    await addTag('linkedin');
    expect(await count()).toBe(2);
    const rows = await db.all<{ name: string }>('SELECT name FROM tags WHERE kind = $kind ORDER BY name', {
      kind: 'source',
    });
    expect(rows.map((row) => row.name)).toEqual(['linkedin', 'nieuwsbrief']);
    expect(await db.get('SELECT name FROM tags WHERE name = ?', ['geen'])).toBeUndefined();
  });

  it('says how many rows a statement changed, and gives ids back with RETURNING', async () => {
    await addTag('a');
    await addTag('b');
    expect((await db.run("UPDATE tags SET first_day = '2026-12-08'")).changes).toBe(2);
    expect(
      (
        await db.run('INSERT INTO tags (kind, name, first_day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
          'source',
          'a',
          'x',
        ])
      ).changes,
    ).toBe(0);
    const inserted = await db.get<{ id: number }>(
      `INSERT INTO used_form_tokens (token, expires_at) VALUES (?, ?) RETURNING token AS id`,
      ['t', 'x'],
    );
    expect(inserted).toEqual({ id: 't' });
  });

  it('commits a transaction that resolves, and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO tags (kind, name, first_day) VALUES (?, ?, ?)', ['source', 'kept', 'd']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO tags (kind, name, first_day) VALUES (?, ?, ?)', ['source', 'lost', 'd']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await db.all<{ name: string }>('SELECT name FROM tags')).map((row) => row.name)).toEqual([
      'kept',
    ]);
  });

  it('keeps concurrent transactions apart: no update is lost', async () => {
    await db.run("INSERT INTO follow_days (day, series, requested) VALUES ('d', 's', 0)");
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          await tx.run(
            `INSERT INTO follow_days (day, series, requested) VALUES ('d', 's', 1)
             ON CONFLICT (day, series) DO UPDATE SET requested = follow_days.requested + excluded.requested`,
          );
        }),
      ),
    );
    expect(await db.get('SELECT requested FROM follow_days')).toEqual({ requested: 20 });
  });
});
