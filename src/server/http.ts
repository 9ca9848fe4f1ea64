// What the server's routes share about HTTP requests: one reader for request bodies, the site's
// hosts as a request names them, and the reader's wish not to be tracked.
//
// Every route that takes a body (the collector, the message form, and forms to come) reads it with
// readBody: the media type is checked first, then the declared Content-Length, then at most
// `maxBytes` are read, within `timeoutMs`, and decoded as strict UTF-8. What is wrong comes back
// as a status and a reason; each route words its own answer (JSON, a Dutch page). The server
// closes the connection of any answer given before its body has arrived (src/server/serve.ts),
// so a refused or stalled body never holds a socket.

/** The media type of a request, lower case and without parameters ("text/plain;charset=UTF-8" → "text/plain"). */
export function mediaTypeOf(headers: Headers): string | undefined {
  const type = headers.get('content-type')?.split(';')[0]!.trim().toLowerCase();
  return type || undefined;
}

export interface BodyLimits {
  /** The media types the route takes, lower case, without parameters. */
  mediaTypes: readonly string[];
  /** The most bytes read; a body declared or found to be larger is refused with 413. */
  maxBytes: number;
  /** The body must have arrived this many milliseconds after reading began, or 408. */
  timeoutMs: number;
}

/** Why a body was not read: each route says so in its own words. */
export type BodyRefusal =
  | { ok: false; status: 415; reason: 'media-type' }
  | { ok: false; status: 413; reason: 'too-large' }
  | { ok: false; status: 408; reason: 'timeout' }
  | { ok: false; status: 400; reason: 'unreadable' };

export type BodyRead = { ok: true; mediaType: string; text: string } | BodyRefusal;

const refusals = {
  'media-type': { ok: false, status: 415, reason: 'media-type' },
  'too-large': { ok: false, status: 413, reason: 'too-large' },
  timeout: { ok: false, status: 408, reason: 'timeout' },
  unreadable: { ok: false, status: 400, reason: 'unreadable' },
} as const satisfies Record<BodyRefusal['reason'], BodyRefusal>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body of `request` as text, or why not: 415 for a media type not in `mediaTypes`, 413 for
 * a body over `maxBytes` (by Content-Length or as it arrives), 408 when it has not all arrived
 * within `timeoutMs`, 400 when it breaks off or is not UTF-8. A body not read to its end is left
 * as it is (not cancelled), so that the route can still answer on the connection.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<BodyRead> {
  const mediaType = mediaTypeOf(request.headers);
  if (!mediaType || !limits.mediaTypes.includes(mediaType)) return refusals['media-type'];
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= limits.maxBytes)) return refusals['too-large'];
  if (!request.body) return { ok: true, mediaType, text: '' };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), limits.timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === 'timeout') return refusals.timeout;
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limits.maxBytes) return refusals['too-large'];
      chunks.push(next.value);
    }
  } catch {
    return refusals.unreadable;
  } finally {
    clearTimeout(timer);
    // A read still waiting for a stalled body settles when the connection closes; nobody awaits it.
    reader.releaseLock();
  }
  try {
    return { ok: true, mediaType, text: utf8.decode(Buffer.concat(chunks)) };
  } catch {
    return refusals.unreadable;
  }
}

/**
 * The hosts that are this site for a request: the one it asked for (also behind a proxy that
 * keeps the Host header) and the site's public host, if any.
 */
export const siteHosts = (headers: Headers, siteHost: string | undefined) => [
  headers.get('host') ?? '',
  ...(siteHost ? [siteHost] : []),
];

/** True when the reader's browser asks not to be tracked (Global Privacy Control, Do Not Track). */
export function optsOut(headers: Headers): boolean {
  return headers.get('sec-gpc')?.trim() === '1' || headers.get('dnt')?.trim() === '1';
}
