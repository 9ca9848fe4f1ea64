// Everything the server's routes share for the life of the process, made once from the checked
// configuration (src/server/config.ts) and what the build published (its site manifest): one
// database connection, the collector, the message receiver, the report's login, their rate
// limiters and the mail queue. `npm start` makes it before the built server loads and hands it to
// the Astro routes (src/server/route-context.ts); `npm run dev` makes it on the first request.
import { readFileSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import type { OgCard, SitePage } from '../lib/site-page.ts';
import { messageForm, site, tracking } from '../site.config.ts';
import { clientAddress, clientKey, trustedProxies } from './client-address.ts';
import { createCollector } from './collector.ts';
import type { ServerConfig } from './config.ts';
import { newFormSecret } from './form-token.ts';
import { createMessageReceiver } from './message-receiver.ts';
import { createNotifier, notification } from './notify.ts';
import { createRateLimiter } from './rate-limit.ts';
import { createReportGate } from './report-auth.ts';
import { createReportReader, type ReportReader } from './report-reader.ts';

/** What a build publishes for its server (src/pages/site-manifest.json.ts). */
export interface SiteManifest {
  /** The pages with a contact block: every part and every author page. */
  pages: SitePage[];
  /** The social preview card of each page, by its path. */
  ogCards: Record<string, OgCard>;
  /** The retention the build's privacy page states. */
  messageRetentionDays: number;
}

/** Where a build keeps its site manifest: beside the server code, out of the public files. */
export const siteManifestFile = (buildDir: string) => `${buildDir}/server/site-manifest.json`;

export const readSiteManifest = (buildDir: string) =>
  JSON.parse(readFileSync(siteManifestFile(buildDir), 'utf8')) as SiteManifest;

export interface ServerContext {
  config: ServerConfig;
  db: DatabaseSync;
  manifest: SiteManifest;
  /** The parts that carry the message form, by path. */
  messagePages: ReadonlyMap<string, SitePage>;
  formSecret: string;
  /**
   * The client a request comes from, for every rate limit: an IPv4 address or an IPv6 network
   * (src/server/client-address.ts).
   */
  clientOf: (request: Request, socketAddress: string | undefined) => string;
  collect: ReturnType<typeof createCollector>;
  receiveMessage: ReturnType<typeof createMessageReceiver>;
  refuseReport: ReturnType<typeof createReportGate>;
  /** The report's figures, counted off the main thread (src/server/report-reader.ts). */
  readReport: ReportReader;
}

const hour = 60 * 60 * 1000;

/**
 * The context on `db`, opened with `{ blockOnLock: false }` (src/server/db.ts). The caller records
 * the build's pages (syncPages): `npm start` once the database has passed its check.
 */
export function createServerContext(
  config: ServerConfig,
  manifest: SiteManifest,
  db: DatabaseSync,
): ServerContext {
  const messagePages = new Map(
    manifest.pages.filter((page) => page.kind === 'part').map((page) => [page.path, page]),
  );
  const formSecret = config.formSecret ?? newFormSecret();
  const notify = config.smtp && createNotifier(config.smtp);
  const reportUrl = new URL('/stats/', config.siteUrl).href;
  // Referrers from this host are the site's own pages ("intern", read-on).
  const siteHost = new URL(config.siteUrl).host;
  const proxies = trustedProxies(config.trustedProxies);
  const bodyTimeoutMs = config.bodyTimeoutSeconds * 1000;
  const { reportLogin } = tracking;

  return {
    config,
    db,
    manifest,
    messagePages,
    formSecret,
    clientOf: (request, socketAddress) =>
      clientKey(
        clientAddress(socketAddress, request.headers.get('x-forwarded-for'), proxies),
        config.ipv6Prefix,
      ),
    collect: createCollector({
      db,
      pages: new Map(manifest.pages.map((page) => [page.path, page])),
      limiter: createRateLimiter({ limit: config.eventsPerMinute }),
      maxBodyBytes: tracking.maxBodyBytes,
      bodyTimeoutMs,
      timeZone: site.timeZone,
      siteHost,
    }),
    receiveMessage: createMessageReceiver({
      db,
      pages: messagePages,
      limiter: createRateLimiter({ limit: config.messagesPerHour, windowMs: hour }),
      secret: formSecret,
      timeZone: site.timeZone,
      siteHost,
      maxBodyBytes: messageForm.maxBodyBytes,
      bodyTimeoutMs,
      minFillMs: messageForm.minFillSeconds * 1000,
      maxFormAgeMs: messageForm.maxFormAgeHours * hour,
      onStored: notify
        ? (message, page) => void notify(notification(message, page, reportUrl, config.messageRetentionDays))
        : undefined,
    }),
    refuseReport: createReportGate({
      credentials: config.report,
      failedLogins: createRateLimiter({
        limit: reportLogin.maxFailures,
        windowMs: reportLogin.windowMinutes * 60_000,
      }),
      globalFailures: reportLogin.globalFailures,
      turnMs: reportLogin.turnMs,
      maxWaitMs: reportLogin.maxWaitSeconds * 1000,
    }),
    readReport: createReportReader(db, config.databasePath),
  };
}

const contextKey = Symbol.for('reeks.server-context');
type WithContext = typeof globalThis & { [contextKey]?: Promise<ServerContext> };

/**
 * Hands the context to the Astro routes. The built server bundles its own copy of these modules,
 * so the one place both copies see is the global object.
 */
export function provideServerContext(context: Promise<ServerContext> | undefined): void {
  (globalThis as WithContext)[contextKey] = context;
}

export const providedServerContext = () => (globalThis as WithContext)[contextKey];
