// A worker of `npm start` (src/server/workers.ts): serves one build folder, the release the
// primary hands it, on the primary's listening socket. Opens the database (creating or migrating
// it) before it takes a request; every request passes through here first: what could break
// Astro's request handling is refused with a status (src/server/request-guard.ts), the collector
// is answered without Astro, and an unexpected error gets the 500 page while the worker goes on
// serving everybody else. It tells the primary once it listens and its database has passed its
// check (src/server/db-watch.ts); the host's background work (src/server/background-work.ts)
// starts only when the primary says so. Asked to stop, it takes no new connection, finishes
// the requests it has, stops its background work gracefully and exits.
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { Server as NetServer } from 'node:net';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import { startBackgroundWork, type BackgroundWork } from './background-work.ts';
import { checkBuild } from './build-folder.ts';
import { openServerStore } from './command.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import { createServerContext, provideServerContext, type ServerContext } from './context.ts';
import { answerHealth, isHealthPath } from './db-watch.ts';
import { editorRequestUrl } from './editor-routes.ts';
import { issueFormToken, stampFormTokens } from './form-token.ts';
import { errorForLog, requestForLog } from './log-lines.ts';
import { answerPreview, previewLinkPrefix, previewRoute } from './preview-route.ts';
import { publishHookPath, servePublishHook } from './publish-hook.ts';
import { hostHeaders, refusalText, refuseRequest } from './request-guard.ts';
import { addSecurityHeaders, securityHeadersFor } from './security-headers.ts';
import type { PrimaryMessage, WorkerMessage } from './workers.ts';
import { paths } from '../site.config.ts';

const collectorPath = '/api/events/';

/** A web Request from Node's, for the handlers that are answered without Astro. */
function webRequestOf(request: IncomingMessage, path: string) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
}

/**
 * RFC 8058's one-click unsubscribe, POSTed by a mail client (often from its own servers): 200 with
 * no page, and no Origin check, form token or limit. The signature in the link is the check.
 * Without Astro, whose origin check would refuse a POST that names no Origin.
 */
async function unsubscribeOneClick(
  context: ServerContext,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const headers = { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' };
  if (request.method !== 'POST') {
    response.writeHead(405, { ...headers, Allow: 'POST' }).end('405 Method Not Allowed\n');
    return;
  }
  const url = new URL(request.url!, 'http://localhost');
  const outcome = await context.following.unsubscribeRequest(webRequestOf(request, url.pathname), url);
  if (outcome.kind === 'done') response.writeHead(200, headers).end();
  else response.writeHead(400, headers).end('Deze afmeldlink is niet geldig.\n');
}

/** POST /api/events/ without Astro's request pipeline: the same collector, several times the events per second. */
async function collectEvent(context: ServerContext, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== 'POST') {
    response.writeHead(405, { Allow: 'POST', 'Cache-Control': 'no-store' }).end();
    return;
  }
  const webRequest = webRequestOf(request, collectorPath);
  const answer = await context.collect(
    webRequest,
    context.clientOf(webRequest, request.socket.remoteAddress),
  );
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
}

/**
 * An answer given before its request's body has all arrived (a refusal, a body too slow) closes
 * the connection once it is sent: the rest of the body is never read, and its socket is let go
 * at once rather than held while Node drains what the client still sends.
 */
function closeWhenBodyUnread(request: IncomingMessage, response: ServerResponse) {
  const { writeHead } = response;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!request.complete && !this.headersSent) this.setHeader('Connection', 'close');
    return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

/** A page, not a file: small, and stamped with a fresh form token, so always sent whole. */
const isPage = (path: string) => path.endsWith('/') || path.endsWith('.html');

/** How long a stopping worker waits for its requests and keep-alive connections before it closes them. */
const drainCapMs = 20_000;

const tellPrimary = (message: WorkerMessage) =>
  new Promise<void>((sent) => {
    if (!process.send) return sent();
    process.send(message, undefined, {}, () => sent());
  });

/**
 * Runs this process as a worker on the build in `buildDir`, until the primary (or a signal) says
 * to stop. A start that fails is told to the primary in one line, and the worker exits with 1.
 */
export async function serveAsWorker(
  config: ServerConfig,
  buildDir: string,
  { othersServe }: { othersServe: boolean },
): Promise<void> {
  let context: ServerContext | undefined;
  let httpServer: Server | undefined;
  let background: BackgroundWork | undefined;
  let draining = false;

  const startBackground = () => {
    if (background || draining || !context) return;
    background = startBackgroundWork(context, buildDir);
  };

  /**
   * Stops taking connections at once and lets the ones it has end after their answer, then the
   * outbox stops after the mail it is sending, and the process exits. When other workers go on
   * serving (`replaced`), every answer from now on says `Connection: close`, and a connection
   * left idle ends at the keep-alive timeout its client was told (5 s): cutting an idle connection
   * at once would fail a request its client is sending on it at that moment, which another worker
   * would have answered. When all stop, idle connections are closed at once (http.Server's close).
   */
  const stop = async (replaced: boolean) => {
    if (draining) return;
    draining = true;
    const server = httpServer;
    const closed = server?.listening
      ? new Promise<void>((done) => {
          if (replaced) NetServer.prototype.close.call(server, () => done());
          else server.close(() => done());
          setTimeout(() => {
            server.closeAllConnections();
            done();
          }, drainCapMs).unref();
        })
      : Promise.resolve();
    const [, finished] = await Promise.all([closed, background?.stop() ?? Promise.resolve(true)]);
    if (!finished)
      console.error('Stopped while a mail was being sent: the next start counts it as in doubt.');
    process.exit(0);
  };

  process.on('message', (message: PrimaryMessage) => {
    if (message.kind === 'stop') void stop(message.replaced);
    else if (message.kind === 'wake-outbox') context?.outbox?.wake();
    // Sent only after this worker said it serves: its database has passed its check.
    else if (message.kind === 'start-background') startBackground();
  });
  // SIGTERM (systemd stops every process of the service) and Ctrl+C (every process in the
  // terminal) reach the workers too: the same graceful stop. SIGHUP is the primary's.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      void tellPrimary({ kind: 'stopping' });
      void stop(false);
    });
  process.on('SIGHUP', () => {});
  // Whatever escapes every handler below (an error in an event callback) is logged; the worker
  // keeps serving, with the primary (and a supervisor) as the next lines of defence.
  process.on('uncaughtException', (error) =>
    console.error(`Unexpected error; the server goes on: ${errorForLog(error)}`),
  );

  try {
    const build = checkBuild(buildDir, config);
    // SQLite: pages are served while the file is checked; writes wait for it (src/server/db-watch.ts).
    const store = await openServerStore(config);
    const { watch } = store;
    const served = createServerContext(config, build.manifest, store, {
      // The outbox runs in the worker with the background work; the primary passes this on to it.
      mailQueued: () => (background ? served.outbox?.wake() : void tellPrimary({ kind: 'mail-queued' })),
    });
    context = served;
    provideServerContext(Promise.resolve(served));
    const previews = previewRoute(buildDir, served.keys, build.notFoundPage);
    // The adapter's bundle starts no server of its own (checkAdapterAutostartOff): this one serves it.
    const { handler } = await import(pathToFileURL(build.entry).href);
    const compress = compression();
    const securityHeaders = securityHeadersFor(config.siteUrl);

    /** The site's own page for a status, or a line of text when it is not a page's business. */
    const answer = (response: ServerResponse, status: number, headers: Record<string, string> = {}) => {
      const page = status === 404 ? build.notFoundPage : status === 500 ? build.errorPage : undefined;
      response.writeHead(status, {
        ...headers,
        'Cache-Control': 'no-store',
        'Content-Type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      });
      response.end(page ?? refusalText(status));
    };

    let loggedErrors = 0;
    const fail = (request: IncomingMessage, response: ServerResponse, error: unknown) => {
      // Logged once per request, and not endlessly when something keeps failing.
      if (loggedErrors++ < 100)
        console.error(
          `Could not answer ${requestForLog(request.method, request.url)}: ${errorForLog(error)}`,
        );
      if (!response.headersSent) answer(response, 500);
      else response.destroy();
    };

    const bodyTimeoutMs = config.bodyTimeoutSeconds * 1000;
    const server = createServer(
      {
        // A backstop for requests no route reads (a POST to a page): Node answers 408 and closes
        // when a request has not all arrived a little after the routes' own time limit. Checked
        // each second rather than each 30 s, so stalled sockets are let go soon after.
        requestTimeout: bodyTimeoutMs + 5_000,
        headersTimeout: Math.min(10_000, bodyTimeoutMs + 5_000),
        connectionsCheckingInterval: 1_000,
      },
      (request, response) => {
        try {
          // Stopping: this connection ends after this answer, and the client opens its next one
          // to a worker that goes on serving.
          if (draining) response.setHeader('Connection', 'close');
          closeWhenBodyUnread(request, response);
          const refusal = refuseRequest(request.method, request.url, hostHeaders(request.rawHeaders));
          // Only a request the guard let through is a URL worth reading.
          if (!refusal && build.withEditor) request.url = editorRequestUrl(request.url!);
          addSecurityHeaders(response, refusal ? undefined : request.url, securityHeaders);
          if (refusal) return answer(response, refusal.status, refusal.headers);
          const path = request.url!.split('?')[0]!;
          // The error pages are pages for a status, never a 200 of their own; _headers is the
          // headers file for a static host (src/integrations/static-headers.ts), not a page.
          if (path === '/404.html' || path === '/500.html' || path === '/_headers')
            return answer(response, 404);
          if (isHealthPath(path)) return answerHealth(request, response, path, watch);
          // A part of a page would carry the form token's placeholder, not a token: pages ignore Range.
          if (isPage(path)) {
            delete request.headers.range;
            delete request.headers['if-range'];
          }
          if (path === collectorPath) {
            collectEvent(served, request, response).catch((error) => fail(request, response, error));
            return;
          }
          if (path === publishHookPath) {
            // Without the secret the route does not exist.
            if (!config.publishHook) return answer(response, 404);
            const requested = () => void tellPrimary({ kind: 'publish-requested' });
            servePublishHook(request, response, { hook: config.publishHook, bodyTimeoutMs, requested }).catch(
              (error) => fail(request, response, error),
            );
            return;
          }
          if (path === paths.unsubscribeOneClick) {
            unsubscribeOneClick(served, request, response).catch((error) => fail(request, response, error));
            return;
          }
          if (path.startsWith(previewLinkPrefix)) return answerPreview(request, response, path, previews);
          compress(request as never, response as never, () => {
            try {
              stampFormTokens(response, () => issueFormToken(served.formSecret));
              const handled = handler(request, response);
              if (handled instanceof Promise)
                handled.catch((error: unknown) => fail(request, response, error));
            } catch (error) {
              fail(request, response, error);
            }
          });
        } catch (error) {
          fail(request, response, error);
        }
      },
    );
    httpServer = server;
    // CONNECT (a proxy's method) never reaches the request handler: refuse it here, like TRACE.
    server.on('connect', (_request, socket) => {
      socket.on('error', () => socket.destroy());
      socket.end(
        'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
    });
    // A request Node cannot even parse: 400 (or 431 for headers too large, 408 for headers or a
    // body that took too long), and the socket closed.
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      socket.on('error', () => socket.destroy());
      // A request already being answered has a response on the wire: only close it.
      const answering = (socket as { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
      if (!socket.writable || answering) return socket.destroy();
      const status =
        error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    });

    if (othersServe) await watch.checked;
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const where = `${config.host}:${config.port}`;
        if (error.code === 'EADDRINUSE')
          reject(
            new ConfigError(
              `PORT ${config.port} is already in use on ${config.host}: stop what uses it, or set PORT to a free port.`,
            ),
          );
        else if (error.code === 'EACCES')
          reject(
            new ConfigError(
              `PORT ${config.port} needs more rights than this user has: set PORT to 1024 or higher.`,
            ),
          );
        else if (['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL'].includes(error.code ?? '')) {
          reject(
            new ConfigError(
              `HOST ${config.host} is not an address of this machine: set HOST to one (e.g. 0.0.0.0 for all, or localhost).`,
            ),
          );
        } else reject(new ConfigError(`Cannot listen on ${where}: ${error.message}. Check PORT and HOST.`));
      });
      server.listen(config.port, config.host, () => resolveListen());
    });
    await watch.checked;
    const { port } = server.address() as { port: number };
    await tellPrimary({ kind: 'serving', release: basename(buildDir), port });
  } catch (error) {
    if (draining) return;
    const reason =
      error instanceof ConfigError
        ? error.message
        : `${(error as Error).message ?? String(error)}`.replace(/\s+/g, ' ').trim();
    await tellPrimary({ kind: 'failed', reason });
    process.exit(1);
  }
}
