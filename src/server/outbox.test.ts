import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { addFollowers, part } from '../../e2e/fixtures/followers.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import { openDatabase } from './db.ts';
import { recordRelease } from './follow-store.ts';
import { createSmtpSend } from './notify.ts';
import { createOutboxSender, queueMail, withoutAddresses, type OutboxRow } from './outbox.ts';

function database(followers: number) {
  const db = openDatabase(':memory:');
  addFollowers(db, followers);
  return db;
}

const compose = (row: OutboxRow) =>
  row.followerEmail
    ? { to: row.followerEmail, subject: row.publication!.title, text: 'nieuw deel' }
    : undefined;

const states = (db: ReturnType<typeof openDatabase>) =>
  Object.fromEntries(
    (
      db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as {
        state: string;
        n: number;
      }[]
    ).map((row) => [row.state, row.n]),
  );

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

describe('the outbox', () => {
  let sink: SmtpSink | undefined;
  const closers: (() => void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await sink?.close();
    sink = undefined;
  });

  function sender(db: ReturnType<typeof openDatabase>, port: number, log: string[] = [], extra = {}) {
    const smtp = createSmtpSend({ host: '127.0.0.1', port, secure: false, from: 'noreply@example.com' });
    closers.push(smtp.close);
    return createOutboxSender({
      db,
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

  it('queues a new part once per follower, sends each once, and logs progress without addresses', async () => {
    sink = await startSmtpSink();
    const db = database(12);
    const now = new Date('2026-02-01T10:00:00Z');
    expect(recordRelease(db, { release: 'b', parts: [part(1), part(2)], now }).queued).toBe(12);
    // Publishing the same release again, or a later one with the same part, queues nothing.
    expect(recordRelease(db, { release: 'b', parts: [part(1), part(2)], now }).queued).toBe(0);
    const log: string[] = [];
    const outbox = sender(db, sink.port, log);
    while ((await outbox.drainBatch()) > 0);
    const mails = await sink.waitFor(12);
    expect(new Set(mails.map((mail) => mail.envelopeTo[0])).size).toBe(12);
    expect(states(db)).toEqual({ sent: 12 });
    expect(log.at(-1)).toBe('Mail for part 2 of reeks: 12 of 12 sent.');
    expect(log.join('\n')).not.toContain('@');
  });

  it('on a graceful stop, finishes the mail being sent and puts the rest of its batch back: nothing in doubt', async () => {
    const stopping = Promise.withResolvers<Promise<void>>();
    const db = database(12);
    recordRelease(db, { release: 'b', parts: [part(2)], now: new Date('2026-02-01T10:00:00Z') });
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
    expect(states(db)).toEqual({ sent: 2, pending: 10 });
    expect(sink.mails).toHaveLength(2);

    const next = sender(db, sink.port);
    expect(next.recover()).toBe(0);
    while ((await next.drainBatch()) > 0);
    expect(states(db)).toEqual({ sent: 12 });
    expect(new Set(sink.mails.map((mail) => mail.envelopeTo[0])).size).toBe(12);
    expect(sink.mails).toHaveLength(12);
  });

  it('never sends again what was being sent when the process stopped: in doubt', async () => {
    sink = await startSmtpSink();
    const db = database(3);
    recordRelease(db, { release: 'b', parts: [part(2)], now: new Date('2026-02-01T10:00:00Z') });
    db.exec("UPDATE outbox SET state = 'sending' WHERE id = (SELECT MIN(id) FROM outbox)");
    const outbox = sender(db, sink.port);
    expect(outbox.recover()).toBe(1);
    while ((await outbox.drainBatch()) > 0);
    await sink.waitFor(2);
    expect(states(db)).toEqual({ sent: 2, 'in-doubt': 1 });
    expect(sink.mails).toHaveLength(2);
  });

  it('tries a 4xx again later and gives a 5xx up after a few tries, marking the address failing', async () => {
    const db = database(1);
    recordRelease(db, { release: 'b', parts: [part(2)], now: new Date('2026-02-01T10:00:00Z') });
    const busy = await refusingServer(451);
    closers.push(busy.close);
    const log: string[] = [];
    const temporary = sender(db, busy.port, log);
    await temporary.drainBatch();
    expect(db.prepare('SELECT state, attempts FROM outbox').get()).toEqual({ state: 'pending', attempts: 1 });

    const refusing = await refusingServer(550);
    closers.push(refusing.close);
    const permanent = sender(db, refusing.port, log);
    while ((await permanent.drainBatch()) > 0);
    expect(db.prepare('SELECT state, attempts FROM outbox').get()).toEqual({ state: 'failed', attempts: 3 });
    expect(db.prepare('SELECT failing_at IS NOT NULL AS failing FROM followers').get()).toEqual({
      failing: 1,
    });
    // Not a single address in the log, not even the one the mail server quoted.
    expect(log.join('\n')).toMatch(/451|550/);
    expect(log.join('\n')).not.toContain('@');
    // A failing address gets no mail for the next part either.
    expect(
      recordRelease(db, { release: 'c', parts: [part(3)], now: new Date('2026-03-01T10:00:00Z') }).queued,
    ).toBe(0);
  });

  it('sends a mail queued with its content, confirmations before parts', async () => {
    sink = await startSmtpSink();
    const db = database(2);
    recordRelease(db, { release: 'b', parts: [part(2)], now: new Date('2026-02-01T10:00:00Z') });
    expect(
      queueMail(db, {
        recipient: 'k',
        cause: 'confirm:reeks:1',
        kind: 'confirm',
        content: { to: 'nieuw@example.nl', subject: 'Bevestig', text: 'klik' },
      }),
    ).toBe(true);
    expect(
      queueMail(db, {
        recipient: 'k',
        cause: 'confirm:reeks:1',
        kind: 'confirm',
        content: { to: 'x', subject: '', text: '' },
      }),
    ).toBe(false);
    const outbox = sender(db, sink.port);
    while ((await outbox.drainBatch()) > 0);
    const mails = await sink.waitFor(3);
    expect(mails[0]!.envelopeTo).toEqual(['nieuw@example.nl']);
    // What was sent is not kept: the address of a confirmation lives in the row only until then.
    expect(db.prepare("SELECT payload FROM outbox WHERE kind = 'confirm'").get()).toEqual({ payload: null });
  });

  it('never tries again a mail whose connection was lost while SMTP may have held it', async () => {
    const db = database(3);
    recordRelease(db, { release: 'b', parts: [part(2)], now: new Date('2026-02-01T10:00:00Z') });
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
    const outbox = createOutboxSender({
      db,
      send: () => Promise.reject(failures[call++ % failures.length]!),
      composePart: compose,
      mailsPerMinute: 1_000_000,
      batchSize: 3,
      permanentTries: 1,
      temporaryTries: 4,
      log: () => {},
      retryAfterMs: () => 60_000,
    });
    await outbox.drainBatch();
    expect(db.prepare('SELECT state FROM outbox ORDER BY id').all()).toEqual([
      { state: 'in-doubt' },
      { state: 'pending' },
      { state: 'failed' },
    ]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM followers WHERE failing_at IS NOT NULL').get()).toEqual({
      n: 0,
    });
  });

  it('hides every address in a line for the log', () => {
    expect(withoutAddresses('550 <anna@example.nl>: unknown; cc bob@x.org')).toBe(
      '550 <<adres>>: unknown; cc <adres>',
    );
  });
});
