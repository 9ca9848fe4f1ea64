import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import {
  confirmFollower,
  deleteAddress,
  followerRecords,
  follows,
  recordFollowRequest,
  unsubscribe,
} from './follow-store.ts';
import { queueMail } from './outbox.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const hour = 3_600_000;

describe.each(testedDatabases())('the follow store on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  const request = (series: string, now: string) =>
    db.transaction((tx) =>
      recordFollowRequest(tx, {
        addressKey: 'sleutel-van-anna',
        series,
        now: new Date(now),
        day: now.slice(0, 10),
        perAddressMs: 24 * hour,
        linkMs: 7 * 24 * hour,
      }),
    );

  const confirm = (addressKey: string, series: string) =>
    db.transaction((tx) =>
      confirmFollower(tx, {
        addressKey,
        email: `${addressKey}@example.nl`,
        series,
        from: `/${series}/deel-1/`,
        now: new Date('2024-05-01T10:00:00Z'),
        day: '2024-05-01',
      }),
    );

  it('refuses a second mail for the same series within the day, but not one for another series', async () => {
    expect(await request('reeks', '2024-05-01T08:00:00Z')).toBe('recorded');
    expect(await request('reeks', '2024-05-01T20:00:00Z')).toBe('too-many');
    expect(await request('andere-reeks', '2024-05-01T20:00:00Z')).toBe('recorded');
    expect(await request('reeks', '2024-05-02T08:00:01Z')).toBe('recorded');
    expect(await db.all('SELECT day, series, requested FROM follow_days ORDER BY day, series')).toEqual([
      { day: '2024-05-01', series: 'andere-reeks', requested: 1 },
      { day: '2024-05-01', series: 'reeks', requested: 1 },
      { day: '2024-05-02', series: 'reeks', requested: 1 },
    ]);
  });

  it('confirms a follower once, and counts the day once, however often the link is used at once', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => confirm('anna', 'reeks')));
    expect(results.filter((result) => result === 'confirmed')).toHaveLength(1);
    expect(await db.get('SELECT confirmed FROM follow_days')).toEqual({ confirmed: 1 });
    expect(await follows(db, 'anna', 'reeks')).toBe(true);
    expect(await follows(db, 'anna', 'andere-reeks')).toBe(false);
  });

  it('unsubscribes from one series or from all, dropping what was not sent and unlinking what was', async () => {
    await confirm('anna', 'reeks');
    await confirm('anna', 'andere-reeks');
    const [{ id }] = await db.all<{ id: number }>("SELECT id FROM followers WHERE series = 'reeks'");
    await db.run(
      `INSERT INTO outbox (recipient, cause, kind, priority, follower_id, series, part, state, next_try_at, created_at)
       VALUES ('anna', 'part:reeks:2', 'part', 2, ?, 'reeks', 2, 'sent', 'x', 'x'),
              ('anna', 'part:reeks:3', 'part', 2, ?, 'reeks', 3, 'pending', 'x', 'x')`,
      [id, id],
    );
    const left = await db.transaction((tx) =>
      unsubscribe(tx, { addressKey: 'anna', series: 'reeks', day: 'd' }),
    );
    expect(left).toEqual(['reeks']);
    expect(await db.all('SELECT recipient, follower_id AS "followerId", state FROM outbox')).toEqual([
      { recipient: `afgemeld:${id}`, followerId: null, state: 'sent' },
    ]);
    // Twice at once (the page's button and the one-click POST): each follow goes, and counts, once.
    const both = await Promise.all(
      [0, 1].map(() => db.transaction((tx) => unsubscribe(tx, { addressKey: 'anna', day: 'd' }))),
    );
    expect(both.flat()).toEqual(['andere-reeks']);
    expect(
      await db.all('SELECT series, unsubscribed FROM follow_days WHERE day = ? ORDER BY series', ['d']),
    ).toEqual([
      { series: 'andere-reeks', unsubscribed: 1 },
      { series: 'reeks', unsubscribed: 1 },
    ]);
  });

  it('lists and deletes everything kept for one address', async () => {
    await confirm('anna', 'reeks');
    await confirm('bram', 'reeks');
    await db.run("UPDATE followers SET failing_at = 'x' WHERE address_key = 'anna'");
    await db.transaction((tx) =>
      queueMail(tx, {
        recipient: 'anna',
        cause: 'confirm:andere:1',
        kind: 'confirm',
        content: { to: 'anna@example.nl', subject: 'Bevestig', text: 'Klik' },
      }),
    );
    expect(await followerRecords(db, 'anna')).toEqual([
      {
        series: 'reeks',
        confirmedAt: '2024-05-01T10:00:00.000Z',
        sourcePath: '/reeks/deel-1/',
        failing: true,
        mails: 0,
      },
    ]);
    expect(await db.transaction((tx) => deleteAddress(tx, 'anna'))).toEqual({ followers: 1, mails: 1 });
    expect(await followerRecords(db, 'anna')).toEqual([]);
    expect((await followerRecords(db, 'bram')).map((record) => record.failing)).toEqual([false]);
  });
});
