// How many requests one client may make per window: events, messages, failed report logins.
// Clients are told apart by a hash of their key (src/server/client-address.ts) with a random salt
// that lives only in memory and is replaced every day: the address itself is never kept, and no
// hash can link a reader's requests across days.
//
// The table is bounded: once it holds `maxClients`, a client it has not seen takes the place of
// the one seen least recently. A crowd of addresses can then at most make the limiter forget
// clients (which get a fresh window), never refuse one it has not seen.
import { createHash, randomBytes } from 'node:crypto';

export interface RateLimiterOptions {
  /** Requests allowed per client per window. */
  limit: number;
  windowMs?: number;
  /** Most clients tracked at once; memory stays below about 150 bytes per client. */
  maxClients?: number;
  now?: () => number;
}

export interface RateDecision {
  allowed: boolean;
  /** Requests this client has left in this window after this one. */
  remaining: number;
  /** Whole seconds until this client's window ends, for Retry-After. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts a request from this client and says whether it may go through. */
  take(client: string): RateDecision;
  /** Whether this client's next request would go through, without counting one. */
  peek(client: string): RateDecision;
  /** How many clients the table holds now. */
  readonly size: number;
}

/** The default of `maxClients`; docs/operating.md gives the memory it takes. */
export const defaultMaxClients = 50_000;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A client's window: when it began and the requests counted in it. */
interface Entry {
  start: number;
  used: number;
}

/** A fixed window per client, from its first request; the table kept in order of last use. */
export function createRateLimiter({
  limit,
  windowMs = 60_000,
  maxClients = defaultMaxClients,
  now = Date.now,
}: RateLimiterOptions): RateLimiter {
  let saltDay = utcDay(now());
  let salt = randomBytes(32);
  // A Map iterates in insertion order: a client seen again is moved to the end, so the first
  // key is always the least recently seen.
  let clients = new Map<string, Entry>();

  function decide(client: string, count: boolean): RateDecision {
    const time = now();
    if (utcDay(time) !== saltDay) {
      saltDay = utcDay(time);
      salt = randomBytes(32);
      clients = new Map();
    }
    // 16 bytes of the hash: no two of the clients in the table share one in practice.
    const key = createHash('sha256').update(salt).update(client).digest().toString('base64url', 0, 16);
    let entry = clients.get(key);
    if (entry && time - entry.start >= windowMs) entry = undefined;
    const used = entry?.used ?? 0;
    const retryAfterSeconds = Math.max(1, Math.ceil(((entry?.start ?? time) + windowMs - time) / 1000));
    const allowed = used < limit;
    if (count) {
      // Seen now: to the end of the table, so a refused client that keeps asking is kept too.
      clients.delete(key);
      if (clients.size >= maxClients) clients.delete(clients.keys().next().value!);
      clients.set(key, { start: entry?.start ?? time, used: allowed ? used + 1 : used });
    }
    if (!allowed) return { allowed, remaining: 0, retryAfterSeconds };
    return { allowed, remaining: limit - used - (count ? 1 : 0), retryAfterSeconds };
  }

  return {
    take: (client) => decide(client, true),
    peek: (client) => decide(client, false),
    get size() {
      return clients.size;
    },
  };
}
