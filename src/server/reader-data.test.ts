import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readerFollowText } from '../lib/report-format.ts';
import type { Database, Sql } from './database.ts';
import { addressKey } from './follow-links.ts';
import { storeMessage } from '../../e2e/fixtures/messages.ts';
import { deleteReaderData, readerData } from './reader-data.ts';
import { deriveKeys } from './secrets.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const keys = deriveKeys('een geheim van tweeëndertig tekens of meer');
const origin = { path: '/reeks/een/', author: 'job', series: 'reeks', part: 1 };
const at = (iso: string) => new Date(iso);

// The follow store and the outbox are ported on their own: their rows are written here as they
// write them (follow-store.ts recordRelease and confirmFollower, outbox.ts queueMail).
const publish = (tx: Sql, part: number, release: string, publishedAt: string, mailed: number) =>
  tx.run(
    `INSERT INTO publications (series, part, path, title, description, series_title, of_parts, release, published_at, mailed)
     VALUES ('reeks', ?, ?, ?, 'Over dit deel.', 'Reeks', 3, ?, ?, ?)`,
    [part, `/reeks/${part}/`, `Deel ${part}`, release, publishedAt, mailed],
  );
const queueMail = (
  tx: Sql,
  mail: { recipient: string; cause: string; kind: 'confirm' | 'message'; series?: string; content: object },
) =>
  tx.run(
    `INSERT INTO outbox (recipient, cause, kind, priority, series, payload, next_try_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      mail.recipient,
      mail.cause,
      mail.kind,
      mail.kind === 'confirm' ? 0 : 1,
      mail.series ?? null,
      JSON.stringify(mail.content),
      new Date().toISOString(),
      new Date().toISOString(),
    ],
  );

/** Anna and Bram each left a message, follow the series and got part 2's mail; Anna also asked to follow another. */
async function given(db: Database) {
  const anna = await storeMessage(
    db,
    { name: 'Anna', email: 'anna@example.nl', question: 'Vraag' },
    origin,
    at('2024-05-01T10:00:00Z'),
  );
  const bram = await storeMessage(
    db,
    { name: 'Bram', email: 'bram@example.nl', question: 'Vraag' },
    origin,
    at('2024-05-01T11:00:00Z'),
  );
  await db.transaction(async (tx) => {
    await publish(tx, 1, 'r1', '2024-04-01T00:00:00.000Z', 0);
    for (const [email, from] of [
      ['Anna@Example.nl', '/reeks/een/'],
      ['bram@example.nl', '/reeks/volgen/'],
    ] as const) {
      const key = addressKey(keys, email);
      const follower = await tx.get<{ id: number }>(
        `INSERT INTO followers (address_key, email, series, confirmed_at, source_path)
         VALUES (?, ?, 'reeks', '2024-05-02T08:00:00.000Z', ?) RETURNING id`,
        [key, email, from],
      );
      // Part 2's mail, queued when the release that first held it was served.
      await tx.run(
        `INSERT INTO outbox (recipient, cause, kind, priority, follower_id, series, part, next_try_at, created_at)
         VALUES (?, 'part:reeks:2', 'part', 2, ?, 'reeks', 2, ?, ?)`,
        [key, follower!.id, '2024-05-03T06:00:00.000Z', '2024-05-03T06:00:00.000Z'],
      );
    }
    await publish(tx, 2, 'r2', '2024-05-03T06:00:00.000Z', 1);
    await tx.run(
      'INSERT INTO follow_requests (address_key, series, requested_at, expires_at) VALUES (?, ?, ?, ?)',
      [
        addressKey(keys, 'anna@example.nl'),
        'andere',
        new Date().toISOString(),
        new Date(Date.now() + 86_400_000).toISOString(),
      ],
    );
    // Johanna's address holds Anna's: hers is not Anna's.
    await queueMail(tx, {
      recipient: addressKey(keys, 'johanna@example.nl'),
      cause: 'confirm:andere:2',
      kind: 'confirm',
      series: 'andere',
      content: { to: 'johanna@example.nl', subject: 'Bevestig', text: 'Klik' },
    });
    await queueMail(tx, {
      recipient: addressKey(keys, 'anna@example.nl'),
      cause: 'confirm:andere:1',
      kind: 'confirm',
      series: 'andere',
      content: { to: 'anna@example.nl', subject: 'Bevestig', text: 'Klik' },
    });
    // The author's mails about each message: to the author, naming the reader.
    for (const [id, email] of [
      [anna, 'anna@example.nl'],
      [bram, 'bram@example.nl'],
    ] as const)
      await queueMail(tx, {
        recipient: addressKey(keys, 'job@example.nl'),
        cause: `message:${id}`,
        kind: 'message',
        content: {
          to: 'job@example.nl',
          replyTo: { name: 'x', address: email },
          subject: 'Bericht',
          text: email,
        },
      });
  });
}

const annaByKey = { email: 'anna@example.nl', key: addressKey(keys, 'anna@example.nl') };

describe.each(testedDatabases())("one reader's data on %s", (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
    await given(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('finds the messages, follows, requests and mails of one address, in any case, and nobody else’s', async () => {
    const data = await readerData(db, annaByKey);
    expect(data.messages.map((message) => message.name)).toEqual(['Anna']);
    expect(data.follows).toEqual([
      {
        series: 'reeks',
        seriesTitle: 'Reeks',
        confirmedAt: at('2024-05-02T08:00:00Z'),
        sourcePath: '/reeks/een/',
        failing: false,
      },
    ]);
    expect(data.requests).toBe(1);
    expect(data.mails.map((mail) => [mail.kind, mail.series, mail.part, mail.state]).sort()).toEqual([
      ['confirm', 'andere', null, 'pending'],
      ['message', null, null, 'pending'],
      ['part', 'reeks', 2, 'pending'],
    ]);
    const text = readerFollowText(data, 'Europe/Amsterdam');
    expect(text).toContain('Volgt per e-mail: 1 reeks (bewaard tot afmelden)');
    expect(text).toContain('  Reeks: bevestigd 2 mei 2024 om 10:00, vanaf /reeks/een/');
    expect(text).toContain('  mail over deel 2 van reeks: wacht, in de wachtrij sinds 3 mei 2024 om 08:00');
    expect(text).toContain('Aanvragen om te volgen die nog niet verlopen zijn: 1');
  });

  it('finds a follower by the address alone when no secret was ever kept', async () => {
    const data = await readerData(db, { email: 'ANNA@example.nl' });
    expect(data.follows.map((follow) => follow.series)).toEqual(['reeks']);
    // The confirmation mail still names the address; the request holds only its hash.
    expect(data.mails).toHaveLength(3);
    expect(data.requests).toBe(0);
  });

  it('deletes exactly those, and leaves the other reader whole', async () => {
    const bram = { email: 'bram@example.nl', key: addressKey(keys, 'bram@example.nl') };
    const before = await readerData(db, bram);
    expect(await db.transaction((tx) => deleteReaderData(tx, annaByKey))).toEqual({
      messages: 1,
      follows: 1,
      mails: 3,
      requests: 1,
    });
    expect(await readerData(db, annaByKey)).toEqual({ messages: [], follows: [], mails: [], requests: 0 });
    expect(await readerData(db, bram)).toEqual(before);
    const left = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox'))!;
    // Bram's part mail and the mail about his message, and Johanna's confirmation.
    expect(left.n).toBe(3);
    // Nothing in the database names Anna any more.
    const dump = JSON.stringify(
      await Promise.all(
        ['messages', 'followers', 'follow_requests', 'outbox'].map((table) =>
          db.all(`SELECT * FROM ${table}`),
        ),
      ),
    );
    expect(dump).not.toMatch(/(?<!h)anna/i);
    expect(dump).toContain('johanna@example.nl');
    expect(dump).not.toContain(annaByKey.key);
  });
});
