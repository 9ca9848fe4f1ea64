import { describe, expect, it } from 'vitest';
import { readerFollowText } from '../lib/report-format.ts';
import { openDatabase, transaction } from './db.ts';
import { addressKey } from './follow-links.ts';
import { confirmFollower, recordFollowRequest, recordRelease, type PublishedPart } from './follow-store.ts';
import { storeMessage } from '../../e2e/fixtures/messages.ts';
import { queueMail } from './outbox.ts';
import { deleteReaderData, readerData } from './reader-data.ts';
import { deriveKeys } from './secrets.ts';

const keys = deriveKeys('een geheim van tweeëndertig tekens of meer');
const origin = { path: '/reeks/een/', author: 'job', series: 'reeks', part: 1 };
const part = (number: number): PublishedPart => ({
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: number,
  ofParts: 3,
  path: `/reeks/${number}/`,
  title: `Deel ${number}`,
  description: 'Over dit deel.',
});
const at = (iso: string) => new Date(iso);

/** Anna and Bram each left a message, follow the series and got part 2's mail; Anna also asked to follow another. */
function database() {
  const db = openDatabase(':memory:');
  const anna = storeMessage(
    db,
    { name: 'Anna', email: 'anna@example.nl', question: 'Vraag' },
    origin,
    at('2024-05-01T10:00:00Z'),
  );
  const bram = storeMessage(
    db,
    { name: 'Bram', email: 'bram@example.nl', question: 'Vraag' },
    origin,
    at('2024-05-01T11:00:00Z'),
  );
  transaction(db, () => {
    recordRelease(db, { release: 'r1', parts: [part(1)], now: at('2024-04-01T00:00:00Z') });
    for (const [email, from] of [
      ['Anna@Example.nl', '/reeks/een/'],
      ['bram@example.nl', '/reeks/volgen/'],
    ] as const)
      confirmFollower(db, {
        addressKey: addressKey(keys, email),
        email,
        series: 'reeks',
        from,
        now: at('2024-05-02T08:00:00Z'),
        day: '2024-05-02',
      });
    recordRelease(db, { release: 'r2', parts: [part(1), part(2)], now: at('2024-05-03T06:00:00Z') });
    recordFollowRequest(db, {
      addressKey: addressKey(keys, 'anna@example.nl'),
      series: 'andere',
      now: new Date(),
      day: '2024-05-04',
      perAddressMs: 1,
      linkMs: 86_400_000,
    });
    // Johanna's address holds Anna's: hers is not Anna's.
    queueMail(db, {
      recipient: addressKey(keys, 'johanna@example.nl'),
      cause: 'confirm:andere:2',
      kind: 'confirm',
      series: 'andere',
      content: { to: 'johanna@example.nl', subject: 'Bevestig', text: 'Klik' },
    });
    queueMail(db, {
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
      queueMail(db, {
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
  return db;
}

const annaByKey = { email: 'anna@example.nl', key: addressKey(keys, 'anna@example.nl') };

describe("one reader's data", () => {
  it('finds the messages, follows, requests and mails of one address, in any case, and nobody else’s', () => {
    const db = database();
    const data = readerData(db, annaByKey);
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

  it('finds a follower by the address alone when no secret was ever kept', () => {
    const db = database();
    const data = readerData(db, { email: 'ANNA@example.nl' });
    expect(data.follows.map((follow) => follow.series)).toEqual(['reeks']);
    // The confirmation mail still names the address; the request holds only its hash.
    expect(data.mails).toHaveLength(3);
    expect(data.requests).toBe(0);
  });

  it('deletes exactly those, and leaves the other reader whole', () => {
    const db = database();
    const bram = { email: 'bram@example.nl', key: addressKey(keys, 'bram@example.nl') };
    const before = readerData(db, bram);
    expect(transaction(db, () => deleteReaderData(db, annaByKey))).toEqual({
      messages: 1,
      follows: 1,
      mails: 3,
      requests: 1,
    });
    expect(readerData(db, annaByKey)).toEqual({ messages: [], follows: [], mails: [], requests: 0 });
    expect(readerData(db, bram)).toEqual(before);
    const left = db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number };
    // Bram's part mail and the mail about his message, and Johanna's confirmation.
    expect(left.n).toBe(3);
    // Nothing in the database names Anna any more.
    const dump = JSON.stringify(
      ['messages', 'followers', 'follow_requests', 'outbox'].map((table) =>
        db.prepare(`SELECT * FROM ${table}`).all(),
      ),
    );
    expect(dump).not.toMatch(/(?<!h)anna/i);
    expect(dump).toContain('johanna@example.nl');
    expect(dump).not.toContain(annaByKey.key);
  });
});
