// Who may see the marketing report: HTTP Basic auth against STATS_USER and STATS_PASSWORD. Without
// them the report does not exist (404). Wrong logins are counted per client: after a handful in a
// short window that client is refused with 429 for the rest of it, and the operator's log says so
// once. Another reader's right password still works.
//
// A crowd of addresses can make the per-client table forget clients (src/server/rate-limit.ts),
// so wrong logins are also counted for all clients together, with no address kept: from
// `globalFailures` in a minute on, every login waits its turn, one per `turnMs`, until a minute
// passes with fewer. Guessing then goes no faster than that, however many addresses it comes
// from. A login that would wait longer than `maxWaitMs` gets 429 at once.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ReportCredentials } from './config.ts';
import type { RateLimiter } from './rate-limit.ts';

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
  /** Counts wrong logins per client (src/server/rate-limit.ts). */
  failedLogins: RateLimiter;
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

/**
 * Wrong logins of all clients together in fixed minutes, and the turns logins wait for while
 * there were too many in this minute or the last.
 */
function createLoginQueue({
  globalFailures,
  turnMs,
  maxWaitMs,
  log,
  now,
}: Required<Omit<ReportGateOptions, 'credentials' | 'failedLogins'>>) {
  let minuteStart = now();
  let thisMinute = 0;
  let lastMinute = 0;
  let nextTurn = 0;
  let slowed = false;
  const roll = (time: number) => {
    if (time - minuteStart < minute) return;
    lastMinute = time - minuteStart < 2 * minute ? thisMinute : 0;
    thisMinute = 0;
    minuteStart = time - ((time - minuteStart) % minute);
  };
  return {
    failed() {
      roll(now());
      thisMinute++;
    },
    /** Milliseconds this login waits for its turn, 0 for none, or undefined: too long, refuse it. */
    turn(): number | undefined {
      const time = now();
      roll(time);
      const busy = thisMinute >= globalFailures || lastMinute >= globalFailures;
      if (busy && !slowed)
        log(
          `Report: ${globalFailures} or more wrong logins within a minute from all clients together; every login now waits its turn, one each ${turnMs / 1000} s, until they stop.`,
        );
      slowed = busy;
      if (!busy) return 0;
      const turn = Math.max(time, nextTurn);
      if (turn - time > maxWaitMs) return undefined;
      nextTurn = turn + turnMs;
      return turn - time;
    },
  };
}

/**
 * The answer for a request that may not see the report, or undefined when it may: 404 when the
 * report is off (the site's own 404 page), 429 for a client with too many wrong logins, 401 with
 * a login prompt when the credentials are missing or wrong.
 */
export function createReportGate({
  credentials,
  failedLogins,
  log = console.warn,
  now = Date.now,
  ...queueOptions
}: ReportGateOptions) {
  const queue = createLoginQueue({ ...queueOptions, log, now });
  const tooMany = (retryAfterSeconds: number) =>
    new Response('Te veel mislukte pogingen om in te loggen. Probeer het later opnieuw.\n', {
      status: 429,
      headers: { ...text, 'Retry-After': String(retryAfterSeconds) },
    });

  return async function refuseReport(request: Request, client: string): Promise<Response | undefined> {
    if (!credentials) return new Response(null, { status: 404, headers: reportHeaders });
    const blocked = failedLogins.peek(client);
    if (!blocked.allowed) return tooMany(blocked.retryAfterSeconds);
    const authorization = request.headers.get('authorization');
    if (authorization !== null) {
      // Right or wrong, a login waits its turn: a quick answer would tell a right guess apart.
      const wait = queue.turn();
      if (wait === undefined) return tooMany(Math.ceil(queueOptions.maxWaitMs / 1000));
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (hasCredentials(authorization, credentials)) return undefined;
    // A browser asks without credentials first, to get the prompt: that is no wrong login.
    if (authorization !== null) {
      queue.failed();
      const failed = failedLogins.take(client);
      if (failed.remaining === 0) {
        log(
          `Report: too many wrong logins from ${client}; refused for ${Math.ceil(failed.retryAfterSeconds / 60)} minutes.`,
        );
      }
    }
    return new Response('Log in met de gebruikersnaam en het wachtwoord voor de statistieken.\n', {
      status: 401,
      headers: { ...text, 'WWW-Authenticate': 'Basic realm="Statistieken", charset="UTF-8"' },
    });
  };
}
