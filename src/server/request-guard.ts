// What the server refuses before Astro sees a request. Astro's Node adapter builds a WHATWG
// Request from every request, and that throws for methods such as TRACE and for a Host header
// with credentials in it; outside a route, nothing catches it. So whatever can make a Request
// fail is answered here, with a status: a method no route takes, a request target that is not a
// path, a Host header that is not a host.
import { STATUS_CODES } from 'node:http';

export interface Refusal {
  status: number;
  headers?: Record<string, string>;
}

/** The methods of this site's routes: pages and files, the collector and the message form. */
export const allowedMethods = ['GET', 'HEAD', 'POST'] as const;
const allow = { Allow: allowedMethods.join(', ') };
/** Methods every HTTP server knows (RFC 9110): refused with 405 and Allow; any other gets 501. */
const knownMethods = new Set(['PUT', 'DELETE', 'PATCH', 'TRACE', 'CONNECT']);

/** host, host:port, IPv4, or [IPv6] with an optional port; nothing else (no credentials, no path). */
const hostPattern =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** The values of every Host header of a request, from Node's raw header list (name, value, …). */
export const hostHeaders = (rawHeaders: readonly string[]) =>
  rawHeaders.filter((_, i) => i % 2 === 1 && rawHeaders[i - 1]!.toLowerCase() === 'host');

/**
 * Checks a request as it arrived: undefined when it may go on, otherwise the answer. OPTIONS gets
 * the methods there are (no other site may call ours, so there is nothing more to say).
 */
export function refuseRequest(
  method: string | undefined,
  target: string | undefined,
  hosts: readonly string[],
): Refusal | undefined {
  if (method === 'OPTIONS') return { status: 204, headers: allow };
  if (!allowedMethods.includes(method as (typeof allowedMethods)[number])) {
    return knownMethods.has(method ?? '') ? { status: 405, headers: allow } : { status: 501 };
  }
  // At most one Host header (RFC 9112), and a host in it; HTTP/1.0 may send none.
  if (hosts.length > 1 || (hosts.length === 1 && !hostPattern.test(hosts[0]!))) return { status: 400 };
  // Origin form only ("/path?query"): no absolute URL, no "*", no control characters.
  if (!target?.startsWith('/') || /[\u0000-\u0020\u007f]/.test(target)) return { status: 400 };
  try {
    decodeURI(new URL(target, 'http://localhost').pathname);
  } catch {
    return { status: 400 };
  }
  return undefined;
}

/** A short plain-text body for a refusal: "400 Bad Request". */
export const refusalText = (status: number) => `${status} ${STATUS_CODES[status] ?? ''}\n`;
