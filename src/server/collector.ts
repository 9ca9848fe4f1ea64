// POST /api/events. Reads at most a few KB, checks the event (or a page view's reading depth)
// against the site's pages and stores it. Bad input always gets a 4xx with a short JSON reason and leaves nothing behind; 201 comes
// only after the row is committed.
import { checkDepth, checkEvent, isDepthEvent, type EventPage } from '../lib/events.ts';
import { dayOf } from '../lib/period.ts';
import type { Database } from './database.ts';
import { createEventWriter } from './event-store.ts';
import { mediaTypeOf, optsOut, readBody, siteHosts, type BodyRefusal } from './http.ts';
import type { RateLimiter } from './rate-limit.ts';
import { failureLog } from './failure-log.ts';

export interface CollectorOptions {
  database: Database;
  pages: ReadonlyMap<string, EventPage>;
  limiter: RateLimiter;
  maxBodyBytes: number;
  /** A body must have arrived this long after the request reached the collector. */
  bodyTimeoutMs: number;
  timeZone: string;
  /** The site's public host (with port, if any): a referrer there is a page of the site too. */
  siteHost?: string;
  now?: () => Date;
}

/** sendBeacon sends a string as text/plain; fetch and other clients may say application/json. */
const acceptedTypes = ['application/json', 'text/plain'];

const noStore = { 'Cache-Control': 'no-store' };

function refuse(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { ...noStore, ...headers } });
}

/**
 * A text/plain POST is one another site's page could send without asking: accept it only from a
 * page of this site (the Origin's host is the host asked), as Astro's checkOrigin does for its
 * own routes. JSON needs a CORS preflight, which this server never grants to other sites.
 */
function fromOtherSite(headers: Headers, mediaType: string): boolean {
  if (mediaType !== 'text/plain') return false;
  const origin = headers.get('origin');
  if (!origin || !URL.canParse(origin)) return true;
  return new URL(origin).host !== headers.get('host');
}

export function createCollector(options: CollectorOptions) {
  const {
    database,
    pages,
    limiter,
    maxBodyBytes,
    bodyTimeoutMs,
    timeZone,
    siteHost,
    now = () => new Date(),
  } = options;
  const bodyLimits = { mediaTypes: acceptedTypes, maxBytes: maxBodyBytes, timeoutMs: bodyTimeoutMs };
  const bodyRefusals: Record<BodyRefusal['reason'], string> = {
    'media-type': 'send the event as application/json or text/plain',
    'too-large': `the body may be at most ${maxBodyBytes} bytes`,
    timeout: 'the body did not arrive in time',
    unreadable: 'the body could not be read',
  };
  const store = createEventWriter(database);
  const logFailure = failureLog('an event');

  return async function collect(request: Request, clientAddress: string | undefined): Promise<Response> {
    // Asked not to be tracked: store nothing, and say so with 204 rather than an error.
    if (optsOut(request.headers)) return new Response(null, { status: 204, headers: noStore });

    const rate = limiter.take(clientAddress ?? 'unknown');
    if (!rate.allowed) {
      return refuse(429, 'too many requests', { 'Retry-After': String(rate.retryAfterSeconds) });
    }

    // A text/plain event from another site is refused before its body is read.
    const mediaType = mediaTypeOf(request.headers);
    if (mediaType && fromOtherSite(request.headers, mediaType))
      return refuse(403, 'events come from pages of this site only');

    const body = await readBody(request, bodyLimits);
    if (!body.ok) return refuse(body.status, bodyRefusals[body.reason]);
    let input: unknown;
    try {
      input = JSON.parse(body.text);
    } catch {
      return refuse(400, 'the body is not valid JSON');
    }

    // A page view's reading depth (src/client/reading-depth.ts) has its own check and table.
    const depth = isDepthEvent(input) ? checkDepth(input, pages) : undefined;
    if (depth && !depth.ok) return refuse(400, depth.error);
    const check = depth
      ? undefined
      : checkEvent(input, pages, {
          siteHosts: siteHosts(request.headers, siteHost),
          pageAddress: request.headers.get('referer'),
        });
    if (check && !check.ok) return refuse(400, check.error);

    try {
      const day = dayOf(now(), timeZone);
      if (depth?.ok) await store.depth(depth.record, day);
      else if (check?.ok) await store(check.event, day);
    } catch (error) {
      // Not the client's fault (disk full, database locked too long, PostgreSQL out of reach):
      // say so, and let it retry. The database watch says once why it refuses (db-watch.ts).
      logFailure(error);
      return refuse(503, 'the event could not be stored, try again later', { 'Retry-After': '5' });
    }
    return new Response(null, { status: 201, headers: noStore });
  };
}
