// The signed links in a follower's mail. A confirmation link carries the address, the series and
// the page the follow came from, so nothing about an unconfirmed address is stored; it expires
// after followForm.confirmDays. Its content is encrypted as well as signed: links end up in
// proxies' access logs and mail scanners' reports, and the address must not be readable there. An unsubscribe link carries only the address's keyed hash and the
// series, and never expires: it must work from any old mail. Each kind is signed (HMAC-SHA256)
// with its own key (src/server/secrets.ts).
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** Hides a payload from whoever reads the link (AES-256-CTR, a fresh IV each time); `seal` signs it. */
interface Cipher {
  encrypt: (plain: Buffer) => Buffer;
  decrypt: (sealed: Buffer) => Buffer;
}

const ivBytes = 16;
const cipherOf = (key: Buffer): Cipher => ({
  encrypt(plain) {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
  },
  decrypt(sealed) {
    const decipher = createDecipheriv('aes-256-ctr', key, sealed.subarray(0, ivBytes));
    return Buffer.concat([decipher.update(sealed.subarray(ivBytes)), decipher.final()]);
  },
});

export function seal(key: Buffer, value: unknown, cipher?: Cipher): string {
  const plain = Buffer.from(JSON.stringify(value));
  const payload = (cipher ? cipher.encrypt(plain) : plain).toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

export function open(key: Buffer, token: string | null | undefined, cipher?: Cipher): unknown {
  if (!token || token.length > maxTokenLength) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const [, payload, signature] = match as unknown as [string, string, string];
  // Checked before anything is decrypted or parsed: only what this server signed gets that far.
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(sign(key, payload)))) return undefined;
  try {
    const bytes = Buffer.from(payload, 'base64url');
    return JSON.parse((cipher ? cipher.decrypt(bytes) : bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function confirmToken(keys: Keys, request: FollowRequest): string {
  return seal(
    keys.key('follow-confirm'),
    { e: request.email, s: request.series, f: request.from, t: request.requestedAt },
    cipherOf(keys.key('follow-confirm-cipher')),
  );
}

export function checkConfirmToken(
  keys: Keys,
  token: string | null | undefined,
  { now, maxAgeMs }: { now: number; maxAgeMs: number },
): LinkCheck<FollowRequest> {
  const data = open(keys.key('follow-confirm'), token, cipherOf(keys.key('follow-confirm-cipher'))) as
    Record<string, unknown> | undefined;
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
