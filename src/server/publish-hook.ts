// POST /api/publish-hook/: GitHub's push webhook (docs/editor-on-the-live-site.md#publishing-on-every-push).
// Served by a worker (src/server/serve.ts), without Astro, only when REEKS_PUBLISH_HOOK_SECRET is
// set (else 404). The signature comes first: a request without X-Hub-Signature-256 is refused before
// its body is read, and the body (application/json only, bounded by the body reader) is parsed
// only once its HMAC-SHA256 with the secret matches, compared in constant time. A push to the
// configured branch is answered 202 at once and handed to the primary of `npm start`, whose
// queue runs one publish at a time (src/server/publish-queue.ts); so nothing is fetched or built
// for a request whose signature is wrong.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { readBody } from './http.ts';
import type { PublishHookSettings } from './publish-settings.ts';

export const publishHookPath = '/api/publish-hook/';

/** A push payload with many commits is some hundreds of kB; GitHub caps payloads at 25 MB. */
const maxBodyBytes = 2 * 1024 * 1024;

export interface HookAnswer {
  status: number;
  text: string;
  /** A push to the branch: a publish is to be queued. */
  publish: boolean;
}

const answer = (status: number, text: string, publish = false): HookAnswer => ({ status, text, publish });

const signaturePattern = /^sha256=([0-9a-f]{64})$/i;

/** The signature GitHub sends for `body` with `secret`: `sha256=<hex HMAC-SHA256>`. */
export const hookSignature = (secret: string, body: string | Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function signatureMatches(secret: string, body: string, header: string): boolean {
  const given = Buffer.from(signaturePattern.exec(header)![1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What the hook answers a request (whose method is POST), and whether a publish follows. */
export async function publishHookAnswer(
  request: Request,
  hook: PublishHookSettings,
  { bodyTimeoutMs }: { bodyTimeoutMs: number },
): Promise<HookAnswer> {
  const signature = request.headers.get('x-hub-signature-256')?.trim() ?? '';
  if (!signaturePattern.test(signature)) return answer(401, 'Missing or malformed X-Hub-Signature-256.');
  const body = await readBody(request, {
    mediaTypes: ['application/json'],
    maxBytes: maxBodyBytes,
    timeoutMs: bodyTimeoutMs,
  });
  if (!body.ok) {
    const why = {
      'media-type': "Only application/json payloads: set the webhook's content type to application/json.",
      'too-large': 'Payload too large.',
      timeout: 'The payload took too long to arrive.',
      unreadable: 'The payload could not be read.',
    }[body.reason];
    return answer(body.status, why);
  }
  if (!signatureMatches(hook.secret, body.text, signature))
    return answer(401, "Wrong signature: the webhook's secret is not REEKS_PUBLISH_HOOK_SECRET.");

  const event = request.headers.get('x-github-event')?.trim() ?? '';
  let payload: unknown;
  try {
    payload = JSON.parse(body.text);
  } catch {
    return answer(400, 'The payload is not JSON.');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return answer(400, 'The payload is not a JSON object.');
  if (event === 'ping')
    return answer(200, 'Pong: the secret matches. Pushes to ' + hook.branch + ' will be published.');
  if (event === '') return answer(400, 'Missing X-GitHub-Event.');
  if (event !== 'push')
    return answer(202, `Ignored: a ${event.slice(0, 40)} event; only push events publish.`);
  const { ref, deleted } = payload as { ref?: unknown; deleted?: unknown };
  if (typeof ref !== 'string' || ref === '') return answer(400, 'A push payload without a ref.');
  if (ref !== `refs/heads/${hook.branch}`)
    return answer(202, `Ignored: a push to ${ref.slice(0, 100)}, not to refs/heads/${hook.branch}.`);
  if (deleted === true) return answer(202, `Ignored: the push deleted ${hook.branch}.`);
  return answer(202, `Publish queued for the push to ${hook.branch}.`, true);
}

/**
 * The route itself: 405 for another method, else the answer above as plain text; `requested` is
 * called for each push to publish (the worker tells its primary).
 */
export async function servePublishHook(
  request: IncomingMessage,
  response: ServerResponse,
  {
    hook,
    bodyTimeoutMs,
    requested,
  }: { hook: PublishHookSettings; bodyTimeoutMs: number; requested: () => void },
): Promise<void> {
  const headers = { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' };
  if (request.method !== 'POST') {
    response.writeHead(405, { ...headers, Allow: 'POST' }).end('405 Method Not Allowed\n');
    return;
  }
  const webHeaders = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === 'string') webHeaders.set(name, value);
  const webRequest = new Request(`http://localhost${publishHookPath}`, {
    method: 'POST',
    headers: webHeaders,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const result = await publishHookAnswer(webRequest, hook, { bodyTimeoutMs });
  if (result.publish) requested();
  response.writeHead(result.status, headers).end(`${result.text}\n`);
}
