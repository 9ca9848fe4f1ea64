// Who may see the marketing report: HTTP Basic auth against STATS_USER and STATS_PASSWORD. Without
// them the report does not exist (404). Wrong logins are counted in the database, so every process
// on it counts the same ones: after a handful from one client in a short window that client is
// refused with 429 until the first of them is out of the window, and the operator's log says so
// once. Another reader's right password still works.
//
// Wrong logins are also counted for all clients together: from `globalFailures` in a minute on,
// every login waits its turn, one per `turnMs` across all processes, until a minute passes with
// fewer. Guessing then goes no faster than that, however many addresses and processes it comes
// through. A login that would wait longer than `maxWaitMs` gets 429 at once.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ReportCredentials } from './config.ts';
import { isUnavailable, type Database } from './database.ts';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an Authorization header carries these credentials. Both parts are compared as
 * SHA-256 digests with timingSafeEqual, so neither their length nor the first differing byte
 * shows in the response time, and both comparisons always run.
 */
export function hasCredentials(authorization: string | null, expected: ReportCredentials): boolean {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const userMatches = timingSafeEqual(digest(user), digest(expected.user));
  const passwordMatches = timingSafeEqual(digest(password), digest(expected.password));
  return match !== null && colon >= 0 && userMatches && passwordMatches;
}

/** Headers on every answer under /stats/: never cached, never indexed. */
export const reportHeaders = {
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
} as const;

const text = { ...reportHeaders, 'Content-Type': 'text/plain; charset=utf-8' };

export interface ReportGateOptions {
  /** Undefined: the report is off. */
  credentials: ReportCredentials | undefined;
  /** Where wrong logins are counted: one count for every process on the database. */
  database: Database;
  /** Wrong logins from one client within `windowMs` after which it is refused. */
  maxFailures: number;
  windowMs: number;
  /** Wrong logins in a minute, from all clients together, from which every login waits its turn. */
  globalFailures: number;
  /** Time between two logins' turns while they wait. */
  turnMs: number;
  /** The longest a login waits for its turn; beyond, 429. */
  maxWaitMs: number;
  log?: (line: string) => void;
  now?: () => number;
}

const minute = 60_000;
const iso = (time: number) => new Date(time).toISOString();

/**
 * The next turn, shared by every process on the database: one row, moved on by `turnMs` in one
 * statement, so no two logins anywhere get the same turn. None when it would come after `maxWait`.
 */
const takeTurn = `UPDATE login_turn
  SET next_turn = (CASE WHEN next_turn > $now THEN next_turn ELSE $now END) + $turn
  WHERE (CASE WHEN next_turn > $now THEN next_turn ELSE $now END) <= $latest
  RETURNING next_turn - $turn AS at`;

/**
 * The answer for a request that may not see the report, or undefined when it may: 404 when the
 * report is off (the site's own 404 page), 429 for a client with too many wrong logins, 401 with
 * a login prompt when the credentials are missing or wrong, 503 while the database is out of reach.
 */
export function createReportGate({
  credentials,
  database,
  maxFailures,
  windowMs,
  globalFailures,
  turnMs,
  maxWaitMs,
  log = console.warn,
  now = Date.now,
}: ReportGateOptions) {
  let slowed = false;
  const tooMany = (retryAfterSeconds: number) =>
    new Response('Te veel mislukte pogingen om in te loggen. Probeer het later opnieuw.\n', {
      status: 429,
      headers: { ...text, 'Retry-After': String(retryAfterSeconds) },
    });

  /** Seconds until this client may try again, or 0 while it may. */
  async function blockedFor(client: string, time: number): Promise<number> {
    const { failures, oldest } = (await database.get<{ failures: number; oldest: string | null }>(
      'SELECT COUNT(*) AS failures, MIN(failed_at) AS oldest FROM login_failures WHERE client = ? AND failed_at > ?',
      [client, iso(time - windowMs)],
    ))!;
    if (failures < maxFailures || oldest === null) return 0;
    return Math.max(1, Math.ceil((Date.parse(oldest) + windowMs - time) / 1000));
  }

  /** Milliseconds this login waits for its turn, 0 for none, or undefined: too long, refuse it. */
  async function turn(time: number): Promise<number | undefined> {
    const { recent } = (await database.get<{ recent: number }>(
      'SELECT COUNT(*) AS recent FROM login_failures WHERE failed_at > ?',
      [iso(time - minute)],
    ))!;
    const busy = recent >= globalFailures;
    if (busy && !slowed)
      log(
        `Report: ${globalFailures} or more wrong logins within a minute from all clients together; every login now waits its turn, one each ${turnMs / 1000} s, until they stop.`,
      );
    slowed = busy;
    if (!busy) return 0;
    const taken = await database.get<{ at: number }>(takeTurn, {
      now: time,
      turn: turnMs,
      latest: time + maxWaitMs,
    });
    return taken && Math.max(0, Number(taken.at) - time);
  }

  /** Records a wrong login; says once, when this one reaches the limit, that the client is refused. */
  async function failed(client: string, time: number) {
    const failures = await database.transaction(async (tx) => {
      // What is past every window is of no use any more: the table stays as small as the window.
      await tx.run('DELETE FROM login_failures WHERE failed_at <= ?', [
        iso(time - Math.max(windowMs, minute)),
      ]);
      await tx.run('INSERT INTO login_failures (client, failed_at) VALUES (?, ?)', [client, iso(time)]);
      return (await tx.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM login_failures WHERE client = ? AND failed_at > ?',
        [client, iso(time - windowMs)],
      ))!.n;
    });
    if (failures === maxFailures)
      log(
        `Report: too many wrong logins from ${client}; refused for ${Math.ceil(windowMs / minute)} minutes.`,
      );
  }

  return async function refuseReport(request: Request, client: string): Promise<Response | undefined> {
    if (!credentials) return new Response(null, { status: 404, headers: reportHeaders });
    try {
      const blocked = await blockedFor(client, now());
      if (blocked > 0) return tooMany(blocked);
      const authorization = request.headers.get('authorization');
      if (authorization !== null) {
        // Right or wrong, a login waits its turn: a quick answer would tell a right guess apart.
        const wait = await turn(now());
        if (wait === undefined) return tooMany(Math.ceil(maxWaitMs / 1000));
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (hasCredentials(authorization, credentials)) return undefined;
      // A browser asks without credentials first, to get the prompt: that is no wrong login.
      if (authorization !== null) await failed(client, now());
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return new Response('De statistieken zijn even niet bereikbaar. Probeer het later nog eens.\n', {
        status: 503,
        headers: { ...text, 'Retry-After': '30' },
      });
    }
    return new Response('Log in met de gebruikersnaam en het wachtwoord voor de statistieken.\n', {
      status: 401,
      headers: { ...text, 'WWW-Authenticate': 'Basic realm="Statistieken", charset="UTF-8"' },
    });
  };
}
