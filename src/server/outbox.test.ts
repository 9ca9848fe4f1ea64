import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addFollowers, part, publishPart2 } from '../../e2e/fixtures/followers.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import type { Database } from './database.ts';
import { databaseOf, openDatabase } from './db.ts';
import { recordRelease, type PublishedPart } from './follow-store.ts';
import { createSmtpSend } from './notify.ts';
import {
  createOutboxSender,
  queueMail,
  thisProcess,
  withoutAddresses,
  type OutboxRow,
  type OutboxSenderOptions,
  type OutgoingMail,
} from './outbox.ts';
import { openTestDatabase, openTwoDatabases, testedDatabases } from './test-databases.ts';

const compose = (row: OutboxRow) =>
  row.followerEmail
    ? { to: row.followerEmail, subject: row.publication!.title, text: 'nieuw deel' }
    : undefined;

const states = async (db: Database) =>
  Object.fromEntries(
    (
      await db.all<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state')
    ).map((row) => [row.state, row.n]),
  );

const release = async (db: Database, name: string, parts: PublishedPart[], now: string) =>
  db.transaction((tx) => recordRelease(tx, { release: name, parts, now: new Date(now) }));

/** A pid of this host that no process has any more: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

/** Marks the row as being sent by `claimant` since `at`, as a sender of that process would have. */
const claimAs = (db: Database, id: number, claimant: string | null, at: string | null) =>
  db.run("UPDATE outbox SET state = 'sending', attempts = 1, claimed_by = ?, claimed_at = ? WHERE id = ?", [
    claimant,
    at,
    id,
  ]);

/** An SMTP server that answers RCPT with `code` for every recipient. */
async function refusingServer(code: number) {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(Object.assign(new Error(`${address.address}: no such user here`), { responseCode: code }));
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return { port: (server.server.address() as { port: number }).port, close: () => server.close() };
}

/** Two connections of each open before the test's work starts, so that its transactions run side by side. */
const connected = (...databases: Database[]) =>
  Promise.all(databases.flatMap((database) => [0, 1].map(() => database.get('SELECT 1 AS one'))));

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const minute = 60_000;

describe.each(testedDatabases())('the outbox on %s', (kind) => {
  let db: Database;
  let sink: SmtpSink | undefined;
  const closers: (() => unknown)[] = [];
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await sink?.close();
    sink = undefined;
    await db.close();
  });

  const withFollowers = async (followers: number) => {
    await addFollowers(db, followers);
    return db;
  };

  function sender(
    database: Database,
    port: number,
    log: string[] = [],
    extra: Partial<OutboxSenderOptions> = {},
  ) {
    const smtp = createSmtpSend({ host: '127.0.0.1', port, secure: false, from: 'noreply@example.com' });
    closers.push(smtp.close);
    return createOutboxSender({
      database,
      send: smtp.send,
      composePart: compose,
      mailsPerMinute: 1_000_000,
      batchSize: 5,
      permanentTries: 3,
      temporaryTries: 4,
      log: (line) => log.push(line),
      retryAfterMs: () => 0,
      ...extra,
    });
  }

  /** A sender that hands each mail to `send` rather than to SMTP. */
  const recordingSender = (database: Database, send: (mail: OutgoingMail) => Promise<unknown>, extra = {}) =>
    createOutboxSender({
      database,
      send,
      composePart: compose,
      mailsPerMinute: 1_000_000,
      batchSize: 5,
      permanentTries: 3,
      temporaryTries: 4,
      log: () => {},
      ...extra,
    });

  it('queues a new part once per follower, sends each once, and logs progress without addresses', async () => {
    sink = await startSmtpSink();
    await withFollowers(12);
    const parts = [part(1), part(2)];
    expect((await release(db, 'b', parts, '2026-02-01T10:00:00Z')).queued).toBe(12);
    // Publishing the same release again, or a later one with the same part, queues nothing.
    expect((await release(db, 'b', parts, '2026-02-01T10:00:00Z')).queued).toBe(0);
    const log: string[] = [];
    const outbox = sender(db, sink.port, log);
    while ((await outbox.drainBatch()) > 0);
    const mails = await sink.waitFor(12);
    expect(new Set(mails.map((mail) => mail.envelopeTo[0])).size).toBe(12);
    expect(await states(db)).toEqual({ sent: 12 });
    expect(log.at(-1)).toBe('Mail for part 2 of reeks: 12 of 12 sent.');
    expect(log.join('\n')).not.toContain('@');
  });

  it('records the first release without mail, once, however many processes start on it at once', async () => {
    const [first, second, close] = await openTwoDatabases(kind);
    closers.push(close);
    const parts = [part(1), part(2)];
    await connected(first, second);
    const records = await Promise.all(
      [first, second, first, second].map((database) =>
        database.transaction((tx) => recordRelease(tx, { release: 'a', parts, now: new Date() })),
      ),
    );
    expect(records.filter((record) => record.first)).toHaveLength(1);
    expect(records.flatMap((record) => record.newParts)).toHaveLength(2);
    expect(await first.all('SELECT part, mailed FROM publications ORDER BY part')).toEqual([
      { part: 1, mailed: 0 },
      { part: 2, mailed: 0 },
    ]);
  });

  it('queues a new part once when several processes start on its release at once', async () => {
    const [first, second, close] = await openTwoDatabases(kind);
    closers.push(close);
    await addFollowers(first, 30);
    await connected(first, second);
    const records = await Promise.all(
      [first, second, first, second].map((database) => publishPart2(database)),
    );
    expect(records.reduce((sum, queued) => sum + queued, 0)).toBe(30);
    expect(await first.get('SELECT COUNT(*) AS n FROM outbox')).toEqual({ n: 30 });
  });

  it('sends each mail exactly once with two senders on two connections draining at once', async () => {
    const [first, second, close] = await openTwoDatabases(kind);
    closers.push(close);
    await addFollowers(first, 200);
    expect(await publishPart2(first)).toBe(200);
    const sent: { by: string; to: string }[] = [];
    const recording = (by: string) => async (mail: OutgoingMail) => {
      // Gives the other sender its turn between two mails, as a mail server's answer would.
      await nextTurn();
      sent.push({ by, to: mail.to as string });
    };
    const batches: number[] = [];
    await connected(first, second);
    const senders = [
      recordingSender(first, recording('first')),
      recordingSender(second, recording('second')),
    ];
    await Promise.all(
      senders.map(async (outbox) => {
        for (let taken; (taken = await outbox.drainBatch()) > 0;) batches.push(taken);
      }),
    );
    expect(sent).toHaveLength(200);
    expect(new Set(sent.map((mail) => mail.to)).size).toBe(200);
    // No claim took more than a batch (PostgreSQL once took the whole queue: outbox.ts's claimQuery).
    expect(Math.max(...batches)).toBe(5);
    expect(sent.some((mail) => mail.by === 'first') && sent.some((mail) => mail.by === 'second')).toBe(true);
    expect(await states(first)).toEqual({ sent: 200 });
    expect(await first.get('SELECT COUNT(*) AS n FROM outbox WHERE attempts <> 1')).toEqual({ n: 0 });
  });

  it('on a graceful stop, finishes the mail being sent and puts the rest of its batch back: nothing in doubt', async () => {
    const stopping = Promise.withResolvers<Promise<void>>();
    await withFollowers(12);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    sink = await startSmtpSink(undefined, {
      delayMs: 20,
      onArrived: (count) => {
        if (count === 2) stopping.resolve(outbox.stop());
      },
    });
    const outbox = sender(db, sink.port);
    outbox.start();
    await await stopping.promise;
    // The mail SMTP held when the stop came was finished and marked; none was left being sent.
    expect(await states(db)).toEqual({ sent: 2, pending: 10 });
    expect(sink.mails).toHaveLength(2);
    expect(
      await db.get("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending' AND claimed_by IS NOT NULL"),
    ).toEqual({ n: 0 });

    const next = sender(db, sink.port);
    expect(await next.recover()).toBe(0);
    while ((await next.drainBatch()) > 0);
    expect(await states(db)).toEqual({ sent: 12 });
    expect(new Set(sink.mails.map((mail) => mail.envelopeTo[0])).size).toBe(12);
    expect(sink.mails).toHaveLength(12);
  });

  it('never sends again what a process of this host that is gone was sending: in doubt at start', async () => {
    sink = await startSmtpSink();
    await withFollowers(3);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    const [{ id }] = await db.all<{ id: number }>('SELECT id FROM outbox ORDER BY id LIMIT 1');
    // A second ago: recovery takes only claims from before its own moment, and a claim in the same
    // millisecond as the recovery would not be one.
    await claimAs(db, id, `${hostname()}:${deadPid()}`, new Date(Date.now() - 1000).toISOString());
    const outbox = sender(db, sink.port);
    expect(await outbox.recover()).toBe(1);
    while ((await outbox.drainBatch()) > 0);
    await sink.waitFor(2);
    expect(await states(db)).toEqual({ sent: 2, 'in-doubt': 1 });
    expect(sink.mails).toHaveLength(2);
  });

  it('leaves what a live process is sending alone until its lease has passed, on this host or another', async () => {
    await withFollowers(5);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    const ids = (await db.all<{ id: number }>('SELECT id FROM outbox ORDER BY id')).map((row) => row.id);
    const start = new Date('2026-12-07T12:00:00Z');
    const at = (ms: number) => new Date(start.getTime() + ms);
    // Claimed a minute before: by a live process of this host (the test runner's parent), by a
    // process of another host, by one of this host that is gone, and by a site from before claims
    // had names; and one claimed long ago by the live process.
    await claimAs(db, ids[0]!, `${hostname()}:${process.ppid}`, at(-minute).toISOString());
    await claimAs(db, ids[1]!, 'een-andere-server:4242', at(-minute).toISOString());
    await claimAs(db, ids[2]!, `${hostname()}:${deadPid()}`, at(-minute).toISOString());
    await claimAs(db, ids[3]!, null, null);
    await claimAs(db, ids[4]!, `${hostname()}:${process.ppid}`, at(-20 * minute).toISOString());
    const stateOf = async () =>
      (await db.all<{ state: string }>('SELECT state FROM outbox ORDER BY id')).map((row) => row.state);
    let time = start;
    const outbox = recordingSender(db, () => Promise.resolve(), { now: () => time, leaseMs: 15 * minute });

    expect(await outbox.recover()).toBe(3);
    expect(await stateOf()).toEqual(['sending', 'sending', 'in-doubt', 'in-doubt', 'in-doubt']);
    time = at(13 * minute);
    expect(await outbox.recover()).toBe(0);
    // 15 minutes after their claim, a second on: the lease has passed.
    time = at(14 * minute + 1000);
    expect(await outbox.recover()).toBe(2);
    expect(await stateOf()).toEqual(['in-doubt', 'in-doubt', 'in-doubt', 'in-doubt', 'in-doubt']);
    // And nothing is ever sent of it.
    expect(await outbox.drainBatch()).toBe(0);
  });

  it('recovers every minute while it runs, for a process that stopped meanwhile', async () => {
    await withFollowers(1);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    let time = new Date('2026-12-07T12:00:00Z');
    const log: string[] = [];
    const outbox = recordingSender(db, () => Promise.resolve(), {
      now: () => time,
      log: (line: string) => log.push(line),
    });
    // Another process claimed the mail, and stops before sending it.
    const [{ id }] = await db.all<{ id: number }>('SELECT id FROM outbox');
    await claimAs(db, id, `${hostname()}:${deadPid()}`, time.toISOString());
    closers.push(() => outbox.stop());
    outbox.start();
    time = new Date(time.getTime() + minute);
    await until('the running sender to recover', async () => {
      // Woken until it is: the first wake may come before it rests.
      outbox.wake();
      return log.length > 0;
    });
    expect(log).toEqual([
      'Outbox: 1 mail(s) were being sent by a process that stopped: in doubt, not sent again.',
    ]);
    expect(await states(db)).toEqual({ 'in-doubt': 1 });
  });

  it('marks sent what SMTP took after another process counted it in doubt, and sends no more of that batch', async () => {
    await withFollowers(2);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    const start = new Date('2026-12-07T12:00:00Z');
    let time = start;
    const log: string[] = [];
    const sent: string[] = [];
    // Another process, 16 minutes on: this one's claim looks stopped to it.
    const other = recordingSender(db, () => Promise.resolve(), { now: () => time, leaseMs: 15 * minute });
    const outbox = recordingSender(
      db,
      async (mail) => {
        time = new Date(start.getTime() + 16 * minute);
        expect(await other.recover()).toBe(2);
        sent.push(mail.to as string);
      },
      { now: () => time, leaseMs: 15 * minute, batchSize: 2, log: (line: string) => log.push(line) },
    );
    expect(await outbox.drainBatch()).toBe(2);
    expect(sent).toHaveLength(1);
    expect(await states(db)).toEqual({ sent: 1, 'in-doubt': 1 });
    expect(log.join('\n')).toContain('had been counted in doubt meanwhile');
  });

  it('tries a 4xx again later and gives a 5xx up after a few tries, marking the address failing', async () => {
    await withFollowers(1);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    const busy = await refusingServer(451);
    closers.push(busy.close);
    const log: string[] = [];
    const temporary = sender(db, busy.port, log);
    await temporary.drainBatch();
    expect(await db.get('SELECT state, attempts FROM outbox')).toEqual({ state: 'pending', attempts: 1 });

    const refusing = await refusingServer(550);
    closers.push(refusing.close);
    const permanent = sender(db, refusing.port, log);
    while ((await permanent.drainBatch()) > 0);
    expect(await db.get('SELECT state, attempts FROM outbox')).toEqual({ state: 'failed', attempts: 3 });
    expect(
      await db.get('SELECT CASE WHEN failing_at IS NOT NULL THEN 1 ELSE 0 END AS failing FROM followers'),
    ).toEqual({ failing: 1 });
    // Not a single address in the log, not even the one the mail server quoted.
    expect(log.join('\n')).toMatch(/451|550/);
    expect(log.join('\n')).not.toContain('@');
    // A failing address gets no mail for the next part either.
    expect((await release(db, 'c', [part(3)], '2026-03-01T10:00:00Z')).queued).toBe(0);
  });

  it('sends a mail queued with its content, confirmations before parts', async () => {
    sink = await startSmtpSink();
    await withFollowers(2);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    expect(
      await db.transaction((tx) =>
        queueMail(tx, {
          recipient: 'k',
          cause: 'confirm:reeks:1',
          kind: 'confirm',
          content: { to: 'nieuw@example.nl', subject: 'Bevestig', text: 'klik' },
        }),
      ),
    ).toBe(true);
    expect(
      await db.transaction((tx) =>
        queueMail(tx, {
          recipient: 'k',
          cause: 'confirm:reeks:1',
          kind: 'confirm',
          content: { to: 'x', subject: '', text: '' },
        }),
      ),
    ).toBe(false);
    const outbox = sender(db, sink.port);
    while ((await outbox.drainBatch()) > 0);
    const mails = await sink.waitFor(3);
    expect(mails[0]!.envelopeTo).toEqual(['nieuw@example.nl']);
    // What was sent is not kept: the address of a confirmation lives in the row only until then.
    expect(await db.get("SELECT payload FROM outbox WHERE kind = 'confirm'")).toEqual({ payload: null });
  });

  it('never tries again a mail whose connection was lost while SMTP may have held it', async () => {
    await withFollowers(3);
    await release(db, 'b', [part(2)], '2026-02-01T10:00:00Z');
    // What nodemailer reports: a close while waiting for the answer to DATA, a refused
    // connection, and a refused sender (530 at MAIL FROM: the sending side's fault, not the address's).
    const failures = [
      Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), {
        code: 'ESOCKET',
        originalCode: 'ECONNREFUSED',
        command: 'CONN',
      }),
      Object.assign(new Error('Mail command failed: 530 Authentication required'), {
        code: 'EENVELOPE',
        responseCode: 530,
        command: 'MAIL FROM',
      }),
    ];
    let call = 0;
    const outbox = recordingSender(db, () => Promise.reject(failures[call++ % failures.length]!), {
      batchSize: 3,
      permanentTries: 1,
      retryAfterMs: () => 60_000,
    });
    await outbox.drainBatch();
    expect(await db.all('SELECT state FROM outbox ORDER BY id')).toEqual([
      { state: 'in-doubt' },
      { state: 'pending' },
      { state: 'failed' },
    ]);
    expect(await db.get('SELECT COUNT(*) AS n FROM followers WHERE failing_at IS NOT NULL')).toEqual({
      n: 0,
    });
  });
});

describe('the outbox after a restart under the same pid', () => {
  it("counts in doubt what was claimed under this process's own name before it claimed anything", async () => {
    // A fresh copy of the module: in it, no sender of this process has claimed yet.
    vi.resetModules();
    const fresh = await import('./outbox.ts');
    const db = databaseOf(openDatabase(':memory:'));
    await addFollowers(db, 3);
    await publishPart2(db);
    const ids = (await db.all<{ id: number }>('SELECT id FROM outbox ORDER BY id')).map((row) => row.id);
    // A container's node restarted as the same pid on the same host: the earlier one's claim.
    await claimAs(db, ids[0]!, fresh.thisProcess, new Date(Date.now() - minute).toISOString());
    expect(fresh.thisProcess).toBe(thisProcess);
    const outbox = fresh.createOutboxSender({
      database: db,
      send: () => Promise.resolve(),
      composePart: compose,
      mailsPerMinute: 1_000_000,
      batchSize: 1,
      permanentTries: 3,
      temporaryTries: 4,
      log: () => {},
    });
    expect(await outbox.recover()).toBe(1);
    // Once it has claimed, its own name stands for itself: a claim of its own is left alone.
    expect(await outbox.drainBatch()).toBe(1);
    await claimAs(db, ids[2]!, fresh.thisProcess, new Date(Date.now() - minute).toISOString());
    expect(await outbox.recover()).toBe(0);
    expect((await db.all('SELECT state FROM outbox ORDER BY id')).map((row) => row.state)).toEqual([
      'in-doubt',
      'sent',
      'sending',
    ]);
    await db.close();
  });
});

describe('withoutAddresses', () => {
  it('hides every address in a line for the log', () => {
    expect(withoutAddresses('550 <anna@example.nl>: unknown; cc bob@x.org')).toBe(
      '550 <<adres>>: unknown; cc <adres>',
    );
  });
});
