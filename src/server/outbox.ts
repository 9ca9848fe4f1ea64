// The outbox: every mail the site sends (confirmations, a mail per new part, the author's mail
// about a message) is a row first, and the server sends the rows in the background at a set pace
// (REEKS_MAILS_PER_MINUTE), so a publish never waits at an SMTP provider and a restart loses none.
//
// Each (recipient, cause) is one row (a unique key), so a mail is queued at most once. A row is
// sent at most once too: the sender marks a small batch 'sending' in one commit, hands each mail
// of it to SMTP, and marks each 'sent' in its own commit the moment SMTP took it. A process killed
// in between leaves rows 'sending'; the next start marks them 'in-doubt' and never sends them
// again (a second mail is worse than a missed one). So at most one batch is ever in doubt.
// SMTP 4xx (and a lost connection before the message) is tried again with back-off; 5xx, after a
// few tries, marks the row 'failed' and a follower's address as failing.
import type { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeTransaction } from './db.ts';

export type MailKind = 'confirm' | 'part' | 'message';

/** A mail ready for SMTP. */
export interface OutgoingMail {
  to: string | { name: string; address: string };
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/** Sending goes first to people waiting for it: confirmations, then authors, then new parts. */
const priorities: Record<MailKind, number> = { confirm: 0, message: 1, part: 2 };

const iso = (time: Date | number) => new Date(time).toISOString();

/**
 * Queues a mail whose content is known now (a confirmation, an author's notification). Returns
 * false when this (recipient, cause) was queued before: nothing is added.
 */
export function queueMail(
  db: DatabaseSync,
  mail: {
    recipient: string;
    cause: string;
    kind: Exclude<MailKind, 'part'>;
    series?: string;
    content: OutgoingMail;
  },
  now = new Date(),
): boolean {
  const result = db
    .prepare(
      `INSERT INTO outbox (recipient, cause, kind, priority, series, payload, next_try_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient, cause) DO NOTHING`,
    )
    .run(
      mail.recipient,
      mail.cause,
      mail.kind,
      priorities[mail.kind],
      mail.series ?? null,
      JSON.stringify(mail.content),
      iso(now),
      iso(now),
    );
  return result.changes > 0;
}

/** A row being sent, with what a part's mail is made of. */
export interface OutboxRow {
  id: number;
  kind: MailKind;
  cause: string;
  attempts: number;
  payload: string | null;
  followerId: number | null;
  series: string | null;
  part: number | null;
  /** A part's mail: the follower's address and its key; undefined once they unsubscribed. */
  followerEmail?: string;
  followerKey?: string;
  publication?: {
    path: string;
    title: string;
    description: string;
    seriesTitle: string;
    ofParts: number;
  };
}

/** What SMTP answered, as nodemailer reports it. */
interface SmtpFailure {
  responseCode?: number;
  command?: string;
  code?: string;
  /** The system error under nodemailer's own code, e.g. ECONNREFUSED. */
  originalCode?: string;
  message?: string;
}

/** Failures that show no connection was ever made: nothing was handed over, so trying again is safe. */
const notConnected = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether a failure without an SMTP answer may have come after the message was handed over. Nodemailer
 * reports a connection closed or timed out while it waited for the answer to DATA as command 'CONN',
 * like a refused connection: only a failure to connect at all is safe to try again.
 */
function mayHaveArrived(error: SmtpFailure) {
  if (error.responseCode !== undefined) return false;
  if (error.code === 'EDNS' || notConnected.has(error.originalCode ?? '')) return false;
  return !/^(Connection timeout|Greeting never received)/.test(error.message ?? '');
}

export interface OutboxSenderOptions {
  db: DatabaseSync;
  send: (mail: OutgoingMail) => Promise<unknown>;
  /** A part's mail, made when it is sent; undefined: nothing to send (the follower is gone). */
  composePart: (row: OutboxRow) => OutgoingMail | undefined;
  mailsPerMinute: number;
  batchSize: number;
  permanentTries: number;
  temporaryTries: number;
  log?: (line: string) => void;
  now?: () => Date;
  /** Back-off before try n+1 after n failed tries. */
  retryAfterMs?: (tries: number) => number;
}

/** Anything that looks like an address in an SMTP answer, hidden: no address ever reaches the log. */
export const withoutAddresses = (text: string) => text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<adres>');

const numberFormat = new Intl.NumberFormat('en-US');

export function createOutboxSender(options: OutboxSenderOptions) {
  const { db, batchSize, log = console.log, now = () => new Date() } = options;
  const retryAfterMs =
    options.retryAfterMs ?? ((tries: number) => Math.min(60_000 * 2 ** (tries - 1), 3_600_000));
  const intervalMs = 60_000 / options.mailsPerMinute;
  let nextSlot = 0;
  let running: Promise<void> | undefined;
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  const lastProgress = new Map<string, number>();

  const claim = db.prepare(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1
     WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_try_at <= ?
                  ORDER BY priority, id LIMIT ?)
     RETURNING id, priority`,
  );
  const details = db.prepare(
    `SELECT o.id, o.kind, o.cause, o.attempts, o.payload, o.follower_id AS followerId, o.series, o.part,
            f.email AS followerEmail, f.address_key AS followerKey,
            p.path, p.title, p.description, p.series_title AS seriesTitle, p.of_parts AS ofParts
     FROM outbox o
     LEFT JOIN followers f ON f.id = o.follower_id
     LEFT JOIN publications p ON p.series = o.series AND p.part = o.part
     WHERE o.id = ?`,
  );
  const markSent = db.prepare("UPDATE outbox SET state = 'sent', sent_at = ?, payload = NULL WHERE id = ?");
  // Claimed but not yet handed to SMTP: back in the queue, as if never claimed.
  const release = db.prepare(
    "UPDATE outbox SET state = 'pending', attempts = attempts - 1 WHERE id = ? AND state = 'sending'",
  );

  function row(id: number): OutboxRow | undefined {
    const found = details.get(id) as Record<string, unknown> | undefined;
    if (!found) return undefined;
    const result: OutboxRow = {
      id,
      kind: found.kind as MailKind,
      cause: found.cause as string,
      attempts: found.attempts as number,
      payload: found.payload as string | null,
      followerId: found.followerId as number | null,
      series: found.series as string | null,
      part: found.part as number | null,
      followerEmail: (found.followerEmail as string | null) ?? undefined,
      followerKey: (found.followerKey as string | null) ?? undefined,
    };
    if (found.path)
      result.publication = {
        path: found.path as string,
        title: found.title as string,
        description: found.description as string,
        seriesTitle: found.seriesTitle as string,
        ofParts: found.ofParts as number,
      };
    return result;
  }

  async function pace() {
    const time = Date.now();
    if (nextSlot > time) await sleep(nextSlot - time);
    nextSlot = Math.max(Date.now(), nextSlot) + intervalMs;
  }

  function progress(series: string, part: number, force: boolean) {
    const key = `${series}:${part}`;
    const time = Date.now();
    if (!force && time - (lastProgress.get(key) ?? 0) < 10_000) return;
    lastProgress.set(key, time);
    const counts = Object.fromEntries(
      (
        db
          .prepare(
            'SELECT state, COUNT(*) AS n FROM outbox WHERE series = ? AND part = ? AND kind = ? GROUP BY state',
          )
          .all(series, part, 'part') as { state: string; n: number }[]
      ).map(({ state, n }) => [state, n]),
    ) as Record<string, number>;
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const extra = [
      counts.failed ? `${numberFormat.format(counts.failed)} failed` : '',
      counts['in-doubt'] ? `${numberFormat.format(counts['in-doubt'])} in doubt` : '',
    ].filter(Boolean);
    log(
      `Mail for part ${part} of ${series}: ${numberFormat.format(counts.sent ?? 0)} of ${numberFormat.format(total)} sent${extra.length ? ` (${extra.join(', ')})` : ''}.`,
    );
  }

  async function failed(mail: OutboxRow, error: SmtpFailure) {
    const code = error.responseCode;
    const time = now();
    const tries = mail.attempts;
    // Lost after the message may have been handed over: it may have arrived. Never send it again.
    const doubtful = mayHaveArrived(error);
    const permanent = code !== undefined && code >= 500;
    // Only a refusal of the recipient says the address is bad; a 5xx to AUTH, MAIL FROM or DATA is
    // the sending side's or the message's, and must not mark every follower failing.
    const addressRefused = permanent && /^RCPT/i.test(error.command ?? '');
    const giveUp = doubtful || tries >= (permanent ? options.permanentTries : options.temporaryTries);
    const state = doubtful ? 'in-doubt' : giveUp ? 'failed' : 'pending';
    log(
      `Could not send a mail (${mail.kind}, try ${tries}): ${withoutAddresses(error.message ?? String(error))}${giveUp ? (doubtful ? '; in doubt, not sent again.' : '; not tried again.') : `; trying again in ${Math.round(retryAfterMs(tries) / 1000)} s.`}`,
    );
    await writeTransaction(db, () => {
      db.prepare('UPDATE outbox SET state = ?, next_try_at = ? WHERE id = ?').run(
        state,
        iso(time.getTime() + (giveUp ? 0 : retryAfterMs(tries))),
        mail.id,
      );
      // An address the mail server refuses for good gets no more tries; the report counts it.
      if (addressRefused && giveUp && mail.followerId !== null) {
        db.prepare('UPDATE followers SET failing_at = ? WHERE id = ? AND failing_at IS NULL').run(
          iso(time),
          mail.followerId,
        );
        db.prepare("UPDATE outbox SET state = 'failed' WHERE follower_id = ? AND state = 'pending'").run(
          mail.followerId,
        );
      }
    });
  }

  async function sendOne(id: number) {
    const mail = row(id);
    if (!mail) return;
    let content: OutgoingMail | undefined;
    try {
      content =
        mail.kind === 'part' ? options.composePart(mail) : (JSON.parse(mail.payload ?? 'null') ?? undefined);
    } catch {
      content = undefined;
    }
    if (!content) {
      // The follower left, or the row holds nothing to send: nothing goes out.
      await writeTransaction(db, () => db.prepare('DELETE FROM outbox WHERE id = ?').run(id));
      return;
    }
    await pace();
    try {
      await options.send(content);
    } catch (error) {
      await failed(mail, error as SmtpFailure);
      return;
    }
    // Synchronous on the first try, straight after SMTP's answer: the window for "in doubt" is this line.
    await writeTransaction(db, () => markSent.run(iso(now()), id));
    if (mail.kind === 'part' && mail.series && mail.part !== null) progress(mail.series, mail.part, false);
  }

  /** Sends one batch of due mails; returns how many rows it took. */
  async function drainBatch(): Promise<number> {
    const ids = await writeTransaction(db, () =>
      // RETURNING comes in no particular order: the batch goes out in the order it was chosen in.
      (claim.all(iso(now()), batchSize) as { id: number; priority: number }[])
        .sort((a, b) => a.priority - b.priority || a.id - b.id)
        .map((found) => found.id),
    );
    const parts = new Set<string>();
    for (const [index, id] of ids.entries()) {
      if (stopped) {
        // A graceful stop: what this batch has not handed over yet is not in doubt.
        const rest = ids.slice(index);
        await writeTransaction(db, () => rest.forEach((left) => release.run(left)));
        break;
      }
      const mail = row(id);
      if (mail?.kind === 'part' && mail.series && mail.part !== null)
        parts.add(`${mail.series}\u0000${mail.part}`);
      await sendOne(id);
    }
    for (const key of parts) {
      const [series, part] = key.split('\u0000') as [string, string];
      const left = db
        .prepare(
          "SELECT 1 FROM outbox WHERE series = ? AND part = ? AND kind = 'part' AND state IN ('pending', 'sending') LIMIT 1",
        )
        .get(series, Number(part));
      if (!left) progress(series, Number(part), true);
    }
    return ids.length;
  }

  /** Until `stop`: sends what is due, then sleeps until woken or the next retry is due. */
  async function loop() {
    while (!stopped) {
      let taken: number;
      try {
        taken = await drainBatch();
      } catch (error) {
        log(
          `The outbox could not send (trying again in a minute): ${withoutAddresses((error as Error).message)}`,
        );
        await rest(60_000);
        continue;
      }
      if (taken > 0) continue;
      const next = db.prepare("SELECT MIN(next_try_at) AS at FROM outbox WHERE state = 'pending'").get() as {
        at: string | null;
      };
      const waitMs = next.at ? Math.max(0, Date.parse(next.at) - now().getTime()) : 60_000;
      await rest(Math.min(waitMs, 60_000));
    }
  }

  /** Sleeps `ms`, or until woken: something was queued, or the sender stops. */
  async function rest(ms: number) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeUp = undefined;
  }

  return {
    /** At start: rows left 'sending' by a process that stopped are in doubt, never sent again. */
    recover(): number {
      return Number(db.prepare("UPDATE outbox SET state = 'in-doubt' WHERE state = 'sending'").run().changes);
    },
    start() {
      if (running) return;
      stopped = false;
      running = loop().finally(() => (running = undefined));
    },
    /** Something was queued: send it now rather than at the next check. */
    wake() {
      wakeUp?.();
    },
    /**
     * Ends the loop after the mail being sent (marked as sent, or failed); the rest of its batch goes
     * back to the queue. Resolves once the loop has ended.
     */
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
    },
    drainBatch,
  };
}

export type OutboxSender = ReturnType<typeof createOutboxSender>;

/**
 * At start: what a stopped process left being sent is in doubt (never sent again), then the
 * outbox sends in the background. `npm start` calls this once the release is recorded.
 */
export function resumeOutbox(outbox: OutboxSender, log: (line: string) => void = console.log) {
  const inDoubt = outbox.recover();
  if (inDoubt > 0)
    log(
      `Outbox: ${numberFormat.format(inDoubt)} mail(s) were being sent when the server stopped: in doubt, not sent again.`,
    );
  outbox.start();
}
