// How many requests one client may make per window: events, messages, failed report logins. Clients are told apart by a hash of their IP
// address with a random salt that lives only in memory and is replaced every day: the address
// itself is never kept, and no hash can link a reader's requests across days.
import { createHash, randomBytes } from 'node:crypto';

export interface RateLimiterOptions {
  /** Requests allowed per client per window. */
  limit: number;
  windowMs?: number;
  /**
   * Most clients tracked in one window. Beyond it new clients are refused until the window
   * ends, so a flood of addresses cannot grow memory without bound.
   */
  maxClients?: number;
  now?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  /** Requests this client has left in this window after this one. */
  remaining: number;
  /** Whole seconds until the window ends, for Retry-After. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts a request from this client and says whether it may go through. */
  take(clientAddress: string): RateDecision;
  /** Whether this client's next request would go through, without counting one. */
  peek(clientAddress: string): RateDecision;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A fixed-window counter per client. */
export function createRateLimiter({
  limit,
  windowMs = 60_000,
  maxClients = 50_000,
  now = Date.now,
}: RateLimiterOptions): RateLimiter {
  let saltDay = utcDay(now());
  let salt = randomBytes(32);
  let windowStart = now();
  let counts = new Map<string, number>();

  function decide(clientAddress: string, count: boolean): RateDecision {
    const time = now();
    if (utcDay(time) !== saltDay) {
      saltDay = utcDay(time);
      salt = randomBytes(32);
      counts = new Map();
      windowStart = time;
    }
    if (time - windowStart >= windowMs) {
      counts = new Map();
      windowStart = time;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - time) / 1000));
    const client = createHash('sha256').update(salt).update(clientAddress).digest('base64url');
    const used = counts.get(client) ?? 0;
    if (used >= limit || (used === 0 && counts.size >= maxClients)) {
      return { allowed: false, remaining: 0, retryAfterSeconds };
    }
    if (count) counts.set(client, used + 1);
    return { allowed: true, remaining: limit - used - (count ? 1 : 0), retryAfterSeconds };
  }

  return {
    take: (clientAddress) => decide(clientAddress, true),
    peek: (clientAddress) => decide(clientAddress, false),
  };
}
