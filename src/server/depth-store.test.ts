import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepthRecord } from '../lib/reading-depth.ts';
import type { Database } from './database.ts';
import { recordDepth } from './depth-store.ts';
import { createEventWriter } from './event-store.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const record: DepthRecord = {
  view: '0b6f6c1e-3c1a-4a57-9a3e-2f1d6f3c9b10',
  path: '/reeks/deel/',
  author: 'a',
  series: 'reeks',
  part: 1,
  furthest: 2,
  endReached: false,
  engaged: '10-30s',
};
const rows = (db: Database) =>
  db.all('SELECT view, day, path, furthest, end_reached, engaged FROM reading_depth ORDER BY id');

describe.each(testedDatabases())('the depth store on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  it('keeps one row per page view: a later record replaces the earlier, on the day the view began', async () => {
    await recordDepth(db, record, '2024-05-10');
    await recordDepth(db, { ...record, furthest: 4, endReached: true, engaged: '1-3m' }, '2024-05-11');
    expect(await rows(db)).toEqual([
      {
        view: record.view,
        day: '2024-05-10',
        path: record.path,
        furthest: 4,
        end_reached: 1,
        engaged: '1-3m',
      },
    ]);
  });

  it('changes nothing for a record of another page under the same id', async () => {
    await recordDepth(db, record, '2024-05-10');
    await recordDepth(db, { ...record, path: '/reeks/ander-deel/', furthest: 5 }, '2024-05-10');
    expect(await rows(db)).toMatchObject([{ path: record.path, furthest: 2 }]);
  });

  it('writes concurrent records together, the later of one view standing, each settled once committed', async () => {
    let transactions = 0;
    const counting: Database = {
      ...db,
      transaction: (work) => {
        transactions++;
        return db.transaction(work);
      },
    };
    const write = createEventWriter(counting).depth;
    const views = Array.from(
      { length: 200 },
      (_, i) => `0b6f6c1e-3c1a-4a57-9a3e-${String(i).padStart(12, '0')}`,
    );
    const pending = Promise.all([
      ...views.map((view) => write({ ...record, view }, '2024-05-10')),
      write({ ...record, view: views[0]!, furthest: 3 }, '2024-05-10'),
    ]);
    expect(await rows(db)).toEqual([]);
    await pending;
    expect((await rows(db)).length).toBe(200);
    expect(await db.get('SELECT furthest FROM reading_depth WHERE view = ?', [views[0]!])).toEqual({
      furthest: 3,
    });
    expect(transactions).toBeLessThan(20);
  });

  it('refuses a bucket the schema does not know', async () => {
    await expect(recordDepth(db, { ...record, engaged: 'lang' as never }, '2024-05-10')).rejects.toThrow();
  });
});
