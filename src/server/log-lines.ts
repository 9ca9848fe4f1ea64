// What the server's log lines may say about a request or an error: never an e-mail address. A
// query is left out whole (a confirmation link's token carries the address, base64-encoded), and
// anything that looks like an address in a path or an error is hidden (outbox.ts's rule).
import { withoutAddresses } from './outbox.ts';

/** "GET /volgen/bevestigen/": the method and the path, without the query. */
export function requestForLog(method: string | undefined, url: string | undefined): string {
  const path = (url ?? '').split(/[?#]/, 1)[0]!;
  return `${method ?? '?'} ${withoutAddresses(path)}`;
}

/** An error's stack (or message), with every address hidden. */
export function errorForLog(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return withoutAddresses(text);
}
