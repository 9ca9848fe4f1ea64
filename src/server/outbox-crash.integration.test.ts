// The outbox killed halfway: 1,000 followers of one series, a new part queued for them, the sending
// process (the server's outbox as `npm start` makes it, e2e/fixtures/outbox-sender.ts) killed
// with SIGKILL while the SMTP sink holds its 510th mail, then started again on the same database.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { addFollowers, publishPart2, writeFollowManifest } from '../../e2e/fixtures/followers.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import { followForm } from '../site.config.ts';
import { databaseOf, openDatabase } from './db.ts';

const followers = 1_000;
const killAt = 510;

const dir = mkdtempSync(join(tmpdir(), 'reeks-outbox-crash-'));
const children: ChildProcess[] = [];
let sink: SmtpSink | undefined;
afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
  await sink?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The outbox's process, with everything it prints. */
function startSender(env: Record<string, string>, manifest: string) {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', 'e2e/fixtures/outbox-sender.ts', manifest],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, exited: once(child, 'exit'), output: () => output };
}

async function until(what: string, done: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('sends each follower at most one mail across a SIGKILL, and counts the rest of one batch in doubt', async () => {
  const database = join(dir, 'reeks.db');
  const db = openDatabase(database);
  await addFollowers(databaseOf(db), followers);
  expect(await publishPart2(databaseOf(db))).toBe(followers);
  const manifest = writeFollowManifest(dir);

  const sending: { first?: ReturnType<typeof startSender> } = {};
  // A slow mail server, so that the kill comes while it holds a mail it has not yet accepted.
  sink = await startSmtpSink(undefined, {
    delayMs: 3,
    onArrived: (count) => {
      if (count === killAt) sending.first?.child.kill('SIGKILL');
    },
  });
  const env = {
    REEKS_DB_PATH: database,
    REEKS_SECRET: 'a-secret-for-the-outbox-crash-test-only',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_FROM: 'Reeks <noreply@example.com>',
    REEKS_MAILS_PER_MINUTE: '1000000',
  };
  const first = (sending.first = startSender(env, manifest));
  const [, signal] = (await first.exited) as [number | null, string | null];
  expect(signal, first.output()).toBe('SIGKILL');
  // The mail held at the kill has arrived whole: the sink keeps it (it may have reached the reader).
  await sink.waitFor(killAt, 30_000);
  const beforeRestart = new Set(sink.mails.map((mail) => mail.envelopeTo[0]));
  const counts = () =>
    Object.fromEntries(
      (
        db.prepare('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as {
          state: string;
          n: number;
        }[]
      ).map((row) => [row.state, row.n]),
    ) as Record<string, number>;
  const left = counts();
  expect(left.sending).toBeGreaterThan(0);
  expect(left.sending).toBeLessThanOrEqual(followForm.batchSize);

  const second = startSender(env, manifest);
  await until(
    'the restarted outbox to finish',
    () => {
      const now = counts();
      return !now.pending && !now.sending;
    },
    120_000,
  );
  const finalLine = `Mail for part 2 of reeks: ${(followers - left.sending!).toLocaleString('en-US')} of 1,000 sent (${left.sending} in doubt).`;
  await until('the last progress line', () => second.output().includes(finalLine), 30_000);
  second.child.kill('SIGTERM');
  await second.exited;

  const end = counts();
  const inDoubt = end['in-doubt'] ?? 0;
  const addressesIn = (state: string) =>
    (
      db
        .prepare(
          'SELECT f.email FROM outbox o JOIN followers f ON f.id = o.follower_id WHERE o.state = ? ORDER BY o.id',
        )
        .all(state) as { email: string }[]
    ).map((row) => row.email);
  const doubtful = addressesIn('in-doubt');
  const received = sink.mails.map((mail) => mail.envelopeTo[0]!);

  // Every row is sent or in doubt; the in-doubt ones are what the killed process had claimed.
  expect(end).toEqual({ sent: followers - inDoubt, 'in-doubt': inDoubt });
  expect(inDoubt).toBe(left.sending);
  expect(inDoubt).toBeLessThanOrEqual(followForm.batchSize);
  expect(second.output()).toContain(
    `Outbox: ${inDoubt} mail(s) were being sent when the server stopped: in doubt, not sent again.`,
  );
  // No follower got two mails.
  expect(new Set(received).size).toBe(received.length);
  // Every mail marked sent is at the sink.
  expect(addressesIn('sent').filter((address) => !received.includes(address))).toEqual([]);
  // No mail in doubt was sent after the restart; of them, only the one the sink held at the kill arrived.
  const doubtfulReceived = doubtful.filter((address) => received.includes(address));
  expect(doubtfulReceived.every((address) => beforeRestart.has(address))).toBe(true);
  expect(doubtfulReceived).toEqual([`lezer${killAt - 1}@example.nl`]);
  // Each of the 1,000 counted once: at the sink, or in doubt and not at the sink.
  expect(received.length + inDoubt - doubtfulReceived.length).toBe(followers);
  db.close();
}, 180_000);
