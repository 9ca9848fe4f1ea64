import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

/** A clock the test moves by hand. */
function clock(start = Date.parse('2024-05-01T10:00:00Z')) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

const takeMany = (limiter: ReturnType<typeof createRateLimiter>, client: string, times: number) =>
  Array.from({ length: times }, () => limiter.take(client).allowed);

describe('createRateLimiter', () => {
  it('lets a client send up to the limit in a minute and refuses the rest', () => {
    const time = clock();
    const limiter = createRateLimiter({ limit: 3, now: time.now });
    expect(takeMany(limiter, '203.0.113.7', 5)).toEqual([true, true, true, false, false]);
  });

  it('counts every client on its own', () => {
    const limiter = createRateLimiter({ limit: 2, now: clock().now });
    expect(takeMany(limiter, '203.0.113.7', 3)).toEqual([true, true, false]);
    expect(takeMany(limiter, '203.0.113.8', 2)).toEqual([true, true]);
    expect(takeMany(limiter, '2001:db8::1', 2)).toEqual([true, true]);
  });

  it('says how long to wait, and lets the client in again when the minute is over', () => {
    const time = clock();
    const limiter = createRateLimiter({ limit: 1, now: time.now });
    limiter.take('a');
    time.advance(20_000);
    expect(limiter.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 40 });
    time.advance(39_999);
    expect(limiter.take('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    time.advance(1);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('says how many requests are left, and peeks without counting', () => {
    const limiter = createRateLimiter({ limit: 2, now: clock().now });
    expect(limiter.peek('a')).toMatchObject({ allowed: true, remaining: 2 });
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.peek('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(limiter.peek('b')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('starts afresh with a new salt when the day changes', () => {
    const time = clock(Date.parse('2024-05-01T23:59:50Z'));
    const limiter = createRateLimiter({ limit: 1, windowMs: 3_600_000, now: time.now });
    expect(takeMany(limiter, 'a', 2)).toEqual([true, false]);
    time.advance(10_000);
    expect(takeMany(limiter, 'a', 2)).toEqual([true, false]);
  });

  it('counts each client’s window from its own first request', () => {
    const time = clock();
    const limiter = createRateLimiter({ limit: 1, now: time.now });
    limiter.take('a');
    time.advance(30_000);
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('a').retryAfterSeconds).toBe(30);
    expect(limiter.take('b').retryAfterSeconds).toBe(60);
  });

  it('never refuses a client it has not seen when the table is full: the least recently seen makes room', () => {
    const time = clock();
    const limiter = createRateLimiter({ limit: 2, maxClients: 3, now: time.now });
    expect(takeMany(limiter, 'a', 3)).toEqual([true, true, false]);
    limiter.take('b');
    limiter.take('c');
    // a, still refused, asks again: it is the most recently seen now, b the least.
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('d').allowed).toBe(true);
    expect(limiter.size).toBe(3);
    expect(limiter.take('a').allowed).toBe(false);
    // b was forgotten: a fresh window.
    expect(takeMany(limiter, 'b', 3)).toEqual([true, true, false]);
  });

  it('lets a new reader in after a crowd of 50,500 addresses, and holds no more than 50,000 of them', () => {
    const time = clock();
    const limiter = createRateLimiter({ limit: 10, windowMs: 3_600_000, now: time.now });
    for (let i = 0; i < 50_500; i++) limiter.take(`crowd-${i}`);
    expect(limiter.size).toBe(50_000);
    expect(limiter.take('203.0.113.7')).toMatchObject({ allowed: true, remaining: 9 });
    expect(limiter.size).toBe(50_000);
  });
});
