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

  it('refuses new clients once it tracks as many as it may, but keeps serving known ones', () => {
    const time = clock();
    const limiter = createRateLimiter({ limit: 5, maxClients: 2, now: time.now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
    expect(limiter.take('a').allowed).toBe(true);
    time.advance(60_000);
    expect(limiter.take('c').allowed).toBe(true);
  });
});
