// The moment the message form was served, signed by the server, in a hidden field. A person reads
// and types before sending; a bot posts the moment it has the page. The signature (HMAC-SHA256
// with the server's secret) means a bot cannot make up an older moment.
//
// Part pages are prerendered, so their form carries a placeholder that `npm start` replaces with
// a fresh token while it serves the page (stampFormTokens). Pages rendered on demand (the form
// shown again with errors) put in a token themselves.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { formTokenPlaceholder } from '../lib/message-form.ts';

/** The shape of formTokenLength (src/lib/message-form.ts): 13 digits of time, a dot, the HMAC. */
const timeDigits = 13;
const tokenPattern = /^(\d{13})\.([A-Za-z0-9_-]{43})$/;

/** A secret for the life of this process, when `REEKS_FORM_SECRET` does not give one. */

const sign = (secret: string, time: string) =>
  createHmac('sha256', secret).update(`message-form:${time}`).digest('base64url');

/** A token for a form served at `now` (milliseconds since 1970). */
export function issueFormToken(secret: string, now = Date.now()): string {
  const time = String(Math.floor(now)).padStart(timeDigits, '0');
  return `${time}.${sign(secret, time)}`;
}

/**
 * - `fresh`: signed by us, served between `minAgeMs` and `maxAgeMs` ago: a person sent it.
 * - `too-fast`: signed by us but sent too soon: a bot.
 * - `expired`: signed by us, but the page has been open longer than `maxAgeMs`.
 * - `invalid`: missing, the placeholder, made up, or signed with another secret (a restart
 *   without `REEKS_FORM_SECRET`).
 */
export type FormTokenCheck = 'fresh' | 'too-fast' | 'expired' | 'invalid';

export function checkFormToken(
  token: string | null | undefined,
  secret: string,
  { now = Date.now(), minAgeMs, maxAgeMs }: { now?: number; minAgeMs: number; maxAgeMs: number },
): FormTokenCheck {
  const match = tokenPattern.exec(token ?? '');
  if (!match) return 'invalid';
  const [, time, signature] = match as unknown as [string, string, string];
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(sign(secret, time)))) return 'invalid';
  const age = now - Number(time);
  if (age < minAgeMs) return 'too-fast';
  return age > maxAgeMs ? 'expired' : 'fresh';
}

/**
 * The token for a form given back to the reader: the one sent while it is still good, so the form
 * keeps the moment it was first served and a quick correction is not taken for a bot; else a new one.
 */
export const tokenToReturn = (sent: string | null, check: FormTokenCheck, secret: string, now: number) =>
  sent && (check === 'fresh' || check === 'too-fast') ? sent : issueFormToken(secret, now);

const placeholder = Buffer.from(formTokenPlaceholder);

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (typeof chunk === 'string')
    return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return Buffer.from(chunk as Uint8Array);
}

/**
 * Makes `response` put a fresh token (from `issue`) in place of the placeholder of a prerendered
 * page. A complete HTML page with status 200 is held back until it ends (pages are small), so a
 * placeholder split over two chunks is found too. A stamped page loses its ETag and Last-Modified
 * and gets `Cache-Control: no-cache`, so a browser fetches it whole again rather than reusing an
 * old token. Everything else passes through untouched.
 */
export function stampFormTokens(response: ServerResponse, issue: () => string): void {
  const { write, end } = response;
  let held: Buffer[] | undefined;
  let decided = false;
  const holding = () => {
    if (!decided) {
      decided = true;
      const html = String(response.getHeader('content-type') ?? '').startsWith('text/html');
      if (html && response.statusCode === 200 && !response.headersSent) held = [];
    }
    return held;
  };

  response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    const buffer = holding();
    if (!buffer) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    buffer.push(toBuffer(chunk, rest[0]));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  } as ServerResponse['write'];

  response.end = function (this: ServerResponse, ...args: unknown[]) {
    const buffer = holding();
    if (!buffer) return (end as (...args: unknown[]) => ServerResponse).apply(this, args);
    const callback = args.find((arg) => typeof arg === 'function');
    if (args[0] !== undefined && args[0] !== null && typeof args[0] !== 'function')
      buffer.push(toBuffer(args[0], args[1]));
    const body = Buffer.concat(buffer);
    let at = body.indexOf(placeholder);
    if (at >= 0) {
      const token = Buffer.from(issue());
      if (token.length !== placeholder.length)
        throw new Error('a form token must be as long as its placeholder');
      for (; at >= 0; at = body.indexOf(placeholder, at + token.length)) token.copy(body, at);
      this.removeHeader('ETag');
      this.removeHeader('Last-Modified');
      this.setHeader('Cache-Control', 'no-cache');
    }
    return (end as (...args: unknown[]) => ServerResponse).call(this, body, callback);
  } as ServerResponse['end'];
}
