// The outbox: every mail the site sends (confirmations, a mail per new part, the author's mail
// about a message) is a row first, and the server sends the rows in the background at a set pace
// (REEKS_MAILS_PER_MINUTE, per process), so a publish never waits at an SMTP provider and a
// restart loses none. On SQLite or PostgreSQL alike (src/server/database.ts).
//
// Each (recipient, cause) is one row (a unique key), so a mail is queued at most once. A row is
// sent at most once too, also with several processes sending from one database (two `npm start`
// on one PostgreSQL, cluster workers on one SQLite file): a sender claims a small batch in one
// statement, which moves the rows from 'pending' to 'sending' with its name (`host:pid`) and the
// moment; two claims never take the same row (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: its
// write lock). It hands each mail of its batch to SMTP, and marks each 'sent' in its own commit
// the moment SMTP took it. A process killed in between leaves rows 'sending'; recovery marks them
// 'in-doubt' and nothing sends them again (a second mail is worse than a missed one): at once when
// the claimant was a process of this host that is gone, after a lease (followForm.claimLeaseMinutes)
// when it was on another host. So at most one batch per stopped process is ever in doubt.
// SMTP 4xx (and a lost connection before the message) is tried again with back-off; 5xx, after a
// few tries, marks the row 'failed' and a follower's address as failing.
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { followForm } from '../site.config.ts';
import type { Database, Sql } from './database.ts';

export type MailKind = 'confirm' | 'part' | 'message' | 'operator' | 'report';

/** A mail ready for SMTP. */
export interface OutgoingMail {
  to: string | { name: string; address: string };
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/**
 * Sending goes first to people waiting for it: confirmations, then authors and the operator, then
 * new parts, then marketing's scheduled report.
 */
const priorities: Record<MailKind, number> = { confirm: 0, message: 1, operator: 1, part: 2, report: 3 };

const iso = (time: Date | number) => new Date(time).toISOString();

/**
 * Queues a mail whose content is known now (a confirmation, an author's notification). Returns
 * false when this (recipient, cause) was queued before: nothing is added.
 */
export async function queueMail(
  sql: Sql,
  mail: {
    recipient: string;
    cause: string;
    kind: Exclude<MailKind, 'part'>;
    series?: string;
    content: OutgoingMail;
  },
  now = new Date(),
): Promise<boolean> {
  const result = await sql.run(
    `INSERT INTO outbox (recipient, cause, kind, priority, series, payload, next_try_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient, cause) DO NOTHING`,
    [
      mail.recipient,
      mail.cause,
      mail.kind,
      priorities[mail.kind],
      mail.series ?? null,
      JSON.stringify(mail.content),
      iso(now),
      iso(now),
    ],
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
  database: Database;
  send: (mail: OutgoingMail) => Promise<unknown>;
  /** A part's mail, made when it is sent; undefined: nothing to send (the follower is gone). */
  composePart: (row: OutboxRow) => OutgoingMail | undefined;
  /** The pace of this process: every process that sends keeps its own. */
  mailsPerMinute: number;
  batchSize: number;
  permanentTries: number;
  temporaryTries: number;
  /**
   * How long a claim holds without a sign of life from its claimant (followForm.claimLeaseMinutes):
   * then recovery counts its rows in doubt, whichever host it is on.
   */
  leaseMs?: number;
  log?: (line: string) => void;
  now?: () => Date;
  /** Back-off before try n+1 after n failed tries. */
  retryAfterMs?: (tries: number) => number;
}

/** Anything that looks like an address in an SMTP answer, hidden: no address ever reaches the log. */
export const withoutAddresses = (text: string) => text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<adres>');

const numberFormat = new Intl.NumberFormat('en-US');

/** This process as the outbox names its claims: `host:pid`, made once. */
export const thisProcess = `${hostname()}:${process.pid}`;

/**
 * Whether a sender of this process has claimed rows yet. Until then, rows claimed under this
 * process's own name were left by an earlier process that had the same pid (a container's node
 * restarted as pid 1 on the same host name), and are in doubt like any other stopped claimant's.
 */
let claimedHere = false;

/**
 * Whether the claimant of a row is a process of this host that is gone. Only this host's processes
 * can be asked (signal 0 checks that a pid exists, and sends nothing); another host's claim waits
 * for its lease. A pid given to a new process meanwhile looks alive: its rows wait for the lease too.
 */
function stoppedHere(claimant: string): boolean {
  const colon = claimant.lastIndexOf(':');
  const pid = Number(claimant.slice(colon + 1));
  if (claimant.slice(0, colon) !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (claimant === thisProcess) return !claimedHere;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid is alive, run by another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The claim, one statement. On PostgreSQL two processes claim at once: FOR UPDATE SKIP LOCKED
 * makes each pass over the rows the other is taking (READ COMMITTED would otherwise let both pick
 * the same ids, and the second then wait for them and update them again). The ids are picked in a
 * MATERIALIZED CTE, so exactly once: PostgreSQL may evaluate an `id IN (SELECT … LIMIT n FOR
 * UPDATE SKIP LOCKED)` more than once in one UPDATE, depending on the plan, and one claim then
 * takes far more than a batch (the two-sender test saw all 200 rows claimed with a LIMIT of 5).
 * SQLite has no row locks, and needs none: its write lock runs one claim after the
 * other, and it reads an uncorrelated IN list once.
 */
const claimQuery = (dialect: Sql['dialect']) =>
  dialect === 'postgres'
    ? `WITH picked AS MATERIALIZED (
         SELECT id FROM outbox WHERE state = 'pending' AND next_try_at <= $now
         ORDER BY priority, id LIMIT $n FOR UPDATE SKIP LOCKED)
       UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_by = $me, claimed_at = $now
       FROM picked WHERE outbox.id = picked.id AND outbox.state = 'pending'
       RETURNING outbox.id, outbox.priority`
    : `UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_by = $me, claimed_at = $now
       WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_try_at <= $now
                    ORDER BY priority, id LIMIT $n)
       RETURNING id, priority`;

export function createOutboxSender(options: OutboxSenderOptions) {
  const { database, batchSize, log = console.log, now = () => new Date() } = options;
  const leaseMs = options.leaseMs ?? followForm.claimLeaseMinutes * 60_000;
  const retryAfterMs =
    options.retryAfterMs ?? ((tries: number) => Math.min(60_000 * 2 ** (tries - 1), 3_600_000));
  const intervalMs = 60_000 / options.mailsPerMinute;
  const claim = claimQuery(database.dialect);
  const me = thisProcess;
  let nextSlot = 0;
  let running: Promise<void> | undefined;
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  /** When this sender last renewed its claims (the `now` of claimed_at). */
  let renewedAt = 0;
  let recoveredAt = 0;
  const lastProgress = new Map<string, number>();

  async function row(id: number): Promise<OutboxRow | undefined> {
    const found = await database.get(
      `SELECT o.id, o.kind, o.cause, o.attempts, o.payload, o.follower_id AS "followerId", o.series, o.part,
              f.email AS "followerEmail", f.address_key AS "followerKey",
              p.path, p.title, p.description, p.series_title AS "seriesTitle", p.of_parts AS "ofParts"
       FROM outbox o
       LEFT JOIN followers f ON f.id = o.follower_id
       LEFT JOIN publications p ON p.series = o.series AND p.part = o.part
       WHERE o.id = ?`,
      [id],
    );
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

  async function progress(series: string, part: number, force: boolean) {
    const key = `${series}:${part}`;
    const time = Date.now();
    if (!force && time - (lastProgress.get(key) ?? 0) < 10_000) return;
    lastProgress.set(key, time);
    const counts = Object.fromEntries(
      (
        await database.all<{ state: string; n: number }>(
          'SELECT state, COUNT(*) AS n FROM outbox WHERE series = ? AND part = ? AND kind = ? GROUP BY state',
          [series, part, 'part'],
        )
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
    await database.transaction(async (tx) => {
      // Only while the claim is still this process's: a row another process has put in doubt
      // meanwhile stays in doubt (the safe side, even for a mail SMTP refused).
      await tx.run(
        "UPDATE outbox SET state = ?, next_try_at = ? WHERE id = ? AND claimed_by = ? AND state = 'sending'",
        [state, iso(time.getTime() + (giveUp ? 0 : retryAfterMs(tries))), mail.id, me],
      );
      // An address the mail server refuses for good gets no more tries; the report counts it.
      if (addressRefused && giveUp && mail.followerId !== null) {
        await tx.run('UPDATE followers SET failing_at = ? WHERE id = ? AND failing_at IS NULL', [
          iso(time),
          mail.followerId,
        ]);
        await tx.run("UPDATE outbox SET state = 'failed' WHERE follower_id = ? AND state = 'pending'", [
          mail.followerId,
        ]);
      }
    });
  }

  /**
   * Renews the claims of this process once a third of the lease has passed since the last time, so
   * that a batch sent slowly (a low pace, a slow mail server) never outlives its lease. Returns
   * whether `id` is still claimed here: false when another process put it in doubt meanwhile.
   */
  async function stillMine(id: number): Promise<boolean> {
    const time = now().getTime();
    if (time - renewedAt < leaseMs / 3) return true;
    const held = await database.transaction((tx) =>
      tx.all<{ id: number }>(
        "UPDATE outbox SET claimed_at = ? WHERE claimed_by = ? AND state = 'sending' RETURNING id",
        [iso(time), me],
      ),
    );
    renewedAt = time;
    return held.some((found) => found.id === id);
  }

  /**
   * Marks a mail SMTP took as sent. Normally the row is still this process's claim. If it is in
   * doubt instead, another process's recovery took this process for stopped (it was frozen, or one
   * send outlasted the lease) while SMTP had the mail: it is still marked sent, because that is
   * what happened, and nothing else can have sent it (nothing sends a row in doubt, and the row
   * names this process as its claimant still). The log says so: the lease is too short for this
   * site's mail server.
   */
  async function markSent(id: number) {
    const time = iso(now());
    const { changes } = await database.run(
      "UPDATE outbox SET state = 'sent', sent_at = ?, payload = NULL WHERE id = ? AND claimed_by = ? AND state = 'sending'",
      [time, id, me],
    );
    if (changes > 0) return;
    const late = await database.run(
      "UPDATE outbox SET state = 'sent', sent_at = ?, payload = NULL WHERE id = ? AND claimed_by = ? AND state = 'in-doubt'",
      [time, id, me],
    );
    if (late.changes > 0)
      log(
        `Outbox: a mail sent by this process had been counted in doubt meanwhile (its claim outlived the lease of ${Math.round(leaseMs / 60_000)} minutes); marked sent.`,
      );
  }

  async function sendOne(mail: OutboxRow) {
    const { id } = mail;
    let content: OutgoingMail | undefined;
    try {
      content =
        mail.kind === 'part' ? options.composePart(mail) : (JSON.parse(mail.payload ?? 'null') ?? undefined);
    } catch {
      content = undefined;
    }
    if (!content) {
      // The follower left, or the row holds nothing to send: nothing goes out.
      await database.run("DELETE FROM outbox WHERE id = ? AND claimed_by = ? AND state = 'sending'", [
        id,
        me,
      ]);
      return;
    }
    await pace();
    if (!(await stillMine(id))) return;
    try {
      await options.send(content);
    } catch (error) {
      await failed(mail, error as SmtpFailure);
      return;
    }
    // Straight after SMTP's answer: the window for "in doubt" is this commit.
    await markSent(id);
    if (mail.kind === 'part' && mail.series && mail.part !== null)
      await progress(mail.series, mail.part, false);
  }

  /** Sends one batch of due mails; returns how many rows it took. */
  async function drainBatch(): Promise<number> {
    claimedHere = true;
    const time = now();
    const ids = (
      await database.transaction((tx) =>
        tx.all<{ id: number; priority: number }>(claim, { me, now: iso(time), n: batchSize }),
      )
    )
      // RETURNING comes in no particular order: the batch goes out in the order it was chosen in.
      .sort((a, b) => a.priority - b.priority || a.id - b.id)
      .map((found) => found.id);
    if (ids.length > 0) renewedAt = time.getTime();
    const parts = new Set<string>();
    for (const [index, id] of ids.entries()) {
      if (stopped) {
        // A graceful stop: what this batch has not handed over yet is not in doubt.
        const rest = ids.slice(index);
        await database.transaction(async (tx) => {
          // Claimed but not yet handed to SMTP: back in the queue, as if never claimed.
          for (const left of rest)
            await tx.run(
              `UPDATE outbox SET state = 'pending', attempts = attempts - 1, claimed_by = NULL, claimed_at = NULL
               WHERE id = ? AND claimed_by = ? AND state = 'sending'`,
              [left, me],
            );
        });
        break;
      }
      const mail = await row(id);
      if (!mail) continue;
      if (mail.kind === 'part' && mail.series && mail.part !== null)
        parts.add(`${mail.series}\u0000${mail.part}`);
      await sendOne(mail);
    }
    for (const key of parts) {
      const [series, part] = key.split('\u0000') as [string, string];
      const left = await database.get(
        "SELECT 1 AS found FROM outbox WHERE series = ? AND part = ? AND kind = 'part' AND state IN ('pending', 'sending') LIMIT 1",
        [series, Number(part)],
      );
      if (!left) await progress(series, Number(part), true);
    }
    return ids.length;
  }

  /**
   * Rows left 'sending' by a process that stopped are in doubt, never sent again: at once when that
   * process was on this host (its pid is gone), else once its claim is older than the lease. Never
   * the rows of a process that is still sending them. Returns how many it marked.
   */
  async function recover(): Promise<number> {
    const time = now();
    let marked = 0;
    const claimants = await database.all<{ claimant: string | null }>(
      "SELECT DISTINCT claimed_by AS claimant FROM outbox WHERE state = 'sending'",
    );
    for (const { claimant } of claimants) {
      if (claimant === null)
        // Claimed by a version of the site from before claims had names: it stopped at the upgrade.
        marked += (
          await database.run(
            "UPDATE outbox SET state = 'in-doubt' WHERE state = 'sending' AND claimed_by IS NULL",
          )
        ).changes;
      else if (stoppedHere(claimant))
        // claimed_at before now: never a claim this process makes at this moment.
        marked += (
          await database.run(
            "UPDATE outbox SET state = 'in-doubt' WHERE state = 'sending' AND claimed_by = ? AND claimed_at < ?",
            [claimant, iso(time)],
          )
        ).changes;
    }
    marked += (
      await database.run("UPDATE outbox SET state = 'in-doubt' WHERE state = 'sending' AND claimed_at < ?", [
        iso(time.getTime() - leaseMs),
      ])
    ).changes;
    recoveredAt = time.getTime();
    return marked;
  }

  /** Recovery once a minute, for the processes that stop while this one runs. */
  async function recoverNow() {
    if (now().getTime() - recoveredAt < 60_000) return;
    const inDoubt = await recover();
    if (inDoubt > 0)
      log(
        `Outbox: ${numberFormat.format(inDoubt)} mail(s) were being sent by a process that stopped: in doubt, not sent again.`,
      );
  }

  /** Until `stop`: sends what is due, then sleeps until woken or the next retry is due. */
  async function loop() {
    while (!stopped) {
      let taken: number;
      try {
        await recoverNow();
        taken = await drainBatch();
      } catch (error) {
        log(
          `The outbox could not send (trying again in a minute): ${withoutAddresses((error as Error).message)}`,
        );
        await rest(60_000);
        continue;
      }
      if (taken > 0) continue;
      let waitMs = 60_000;
      try {
        const next = await database.get<{ at: string | null }>(
          "SELECT MIN(next_try_at) AS at FROM outbox WHERE state = 'pending'",
        );
        if (next?.at) waitMs = Math.max(0, Date.parse(next.at) - now().getTime());
      } catch {
        // The database is out of reach for now: the next round says so.
      }
      await rest(Math.min(waitMs, 60_000));
    }
  }

  /** Sleeps `ms`, or until woken: something was queued, or the sender stops. */
  async function rest(ms: number) {
    // A stop that came while the loop was busy: no rest.
    if (stopped) return;
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
    recover,
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
export async function resumeOutbox(outbox: OutboxSender, log: (line: string) => void = console.log) {
  try {
    const inDoubt = await outbox.recover();
    if (inDoubt > 0)
      log(
        `Outbox: ${numberFormat.format(inDoubt)} mail(s) were being sent when the server stopped: in doubt, not sent again.`,
      );
  } catch (error) {
    // The sender's loop tries again within the minute, before it claims anything.
    log(`The outbox could not check for mails in doubt: ${withoutAddresses((error as Error).message)}`);
  }
  outbox.start();
}
