// The signed links in a follower's mail. A confirmation link carries the address, the series and
// the page the follow came from, so nothing about an unconfirmed address is stored; it expires
// after followForm.confirmDays. An unsubscribe link carries only the address's keyed hash and the
// series, and never expires: it must work from any old mail. Each kind is signed (HMAC-SHA256)
// with its own key (src/server/secrets.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Keys } from './secrets.ts';

export interface FollowRequest {
  email: string;
  series: string;
  /** The page the form was sent from. */
  from: string;
  /** When the form was sent, in milliseconds since 1970. */
  requestedAt: number;
}

export interface Unsubscription {
  addressKey: string;
  series: string;
}

export type LinkCheck<T> = { kind: 'valid'; value: T } | { kind: 'expired'; value: T } | { kind: 'invalid' };

const maxTokenLength = 2048;

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

function seal(key: Buffer, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

function open(key: Buffer, token: string | null | undefined): unknown {
  if (!token || token.length > maxTokenLength) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, payload, signature] = match as unknown as [string, string, string];
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(sign(key, payload)))) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function confirmToken(keys: Keys, request: FollowRequest): string {
  return seal(keys.key('follow-confirm'), {
    e: request.email,
    s: request.series,
    f: request.from,
    t: request.requestedAt,
  });
}

export function checkConfirmToken(
  keys: Keys,
  token: string | null | undefined,
  { now, maxAgeMs }: { now: number; maxAgeMs: number },
): LinkCheck<FollowRequest> {
  const data = open(keys.key('follow-confirm'), token) as Record<string, unknown> | undefined;
  if (!data || !isText(data.e) || !isText(data.s) || typeof data.f !== 'string' || typeof data.t !== 'number')
    return { kind: 'invalid' };
  const value = { email: data.e, series: data.s, from: data.f, requestedAt: data.t };
  // A link from the future was not made by this server's clock: refuse it.
  if (value.requestedAt > now + 60_000) return { kind: 'invalid' };
  return { kind: now - value.requestedAt > maxAgeMs ? 'expired' : 'valid', value };
}

export function unsubscribeToken(keys: Keys, unsubscription: Unsubscription): string {
  return seal(keys.key('unsubscribe'), { k: unsubscription.addressKey, s: unsubscription.series });
}

export function checkUnsubscribeToken(
  keys: Keys,
  token: string | null | undefined,
): Unsubscription | undefined {
  const data = open(keys.key('unsubscribe'), token) as Record<string, unknown> | undefined;
  if (!data || !isText(data.k) || !isText(data.s)) return undefined;
  return { addressKey: data.k, series: data.s };
}

/** The keyed hash of an address: the same for every spelling in capitals, and unguessable without the key. */
export function addressKey(keys: Keys, email: string): string {
  return createHmac('sha256', keys.key('address-key')).update(email.trim().toLowerCase()).digest('base64url');
}
