// Everything the server's routes share for the life of the process, made once from the checked
// configuration (src/server/config.ts) and what the build published (its site manifest): the
// database every store uses (SQLite or PostgreSQL, src/server/database.ts), the collector, the message receiver, the report's login, their rate
// limiters and the mail queue. `npm start` makes it before the built server loads and hands it to
// the Astro routes (src/server/route-context.ts); `npm run dev` makes it on the first request.
import type { OgCard, SitePage } from '../lib/site-page.ts';
import { followForm, messageForm, site, tracking } from '../site.config.ts';
import { clientAddress, clientKey, trustedProxies } from './client-address.ts';
import { createCollector } from './collector.ts';
import type { ServerConfig } from './config.ts';
import type { Database } from './database.ts';
import { addressKey } from './follow-links.ts';
import { createFollowing, type FollowSeries, type Following } from './follow-receiver.ts';
import { errorForLog } from './log-lines.ts';
import { createMessageReceiver } from './message-receiver.ts';
import { createSmtpSend, notification } from './notify.ts';
import { createOutboxSender, queueMail, type OutboxSender } from './outbox.ts';
import { loadKeys, type Keys } from './secrets.ts';
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
  /** Every series with its published parts: what can be followed, and what a release holds. */
  followSeries: FollowSeries[];
}

export { readSiteManifest, siteManifestFile } from './build-folder.ts';

export interface ServerContext {
  config: ServerConfig;
  /** Every store's database (src/server/database.ts). */
  database: Database;
  manifest: SiteManifest;
  /** The parts that carry the message form, by path. */
  messagePages: ReadonlyMap<string, SitePage>;
  /** The form token's key (src/server/secrets.ts). */
  formSecret: string;
  keys: Keys;
  /** The follow form, its confirmation and unsubscribing (src/server/follow-receiver.ts). */
  following: Following;
  /** Sends the outbox in the background; undefined without SMTP. `npm start` starts it. */
  outbox?: OutboxSender;
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

/** Where the context's stores live: `npm start` opens it (src/server/command.ts openServerStore). */
export interface ContextStore {
  database: Database;
  /** The SQLite file, which the report reads through a connection of its own; undefined on PostgreSQL. */
  sqlitePath?: string;
}

/**
 * The context on `store`. The caller records the build's pages (syncPages): `npm start` once the
 * database has passed its check.
 */
export function createServerContext(
  config: ServerConfig,
  manifest: SiteManifest,
  { database, sqlitePath }: ContextStore,
  {
    mailQueued,
  }: {
    /**
     * A mail was queued: by default this process's outbox is woken. `npm start`'s workers pass
     * their own, for the outbox runs in one worker only (src/server/workers.ts).
     */
    mailQueued?: () => void;
  } = {},
): ServerContext {
  const wakeOutbox = mailQueued ?? (() => outbox?.wake());
  const messagePages = new Map(
    manifest.pages.filter((page) => page.kind === 'part').map((page) => [page.path, page]),
  );
  const keys = loadKeys(config);
  const formSecret = keys.key('form-token').toString('base64url');
  const bodyTimeoutMs = config.bodyTimeoutSeconds * 1000;
  const followSeries = new Map((manifest.followSeries ?? []).map((series) => [series.id, series]));
  const following = createFollowing({
    database,
    keys,
    series: followSeries,
    siteUrl: config.siteUrl,
    // The follow form shares the message form's limit per client.
    limiter: createRateLimiter({ limit: config.messagesPerHour, windowMs: hour }),
    mailOn: Boolean(config.smtp),
    bodyTimeoutMs,
    minFillMs: messageForm.minFillSeconds * 1000,
    maxFormAgeMs: messageForm.maxFormAgeHours * hour,
    onQueued: () => wakeOutbox(),
  });
  const outbox: OutboxSender | undefined =
    config.smtp &&
    createOutboxSender({
      database,
      send: createSmtpSend(config.smtp).send,
      composePart: following.composePart,
      mailsPerMinute: config.mailsPerMinute,
      batchSize: followForm.batchSize,
      leaseMs: followForm.claimLeaseMinutes * 60_000,
      permanentTries: followForm.permanentTries,
      temporaryTries: followForm.temporaryTries,
    });
  const reportUrl = new URL('/stats/', config.siteUrl).href;
  // Referrers from this host are the site's own pages ("intern", read-on).
  const siteHost = new URL(config.siteUrl).host;
  const proxies = trustedProxies(config.trustedProxies);
  const { reportLogin } = tracking;

  return {
    config,
    database,
    manifest,
    messagePages,
    formSecret,
    keys,
    following,
    outbox,
    clientOf: (request, socketAddress) =>
      clientKey(
        clientAddress(socketAddress, request.headers.get('x-forwarded-for'), proxies),
        config.ipv6Prefix,
      ),
    collect: createCollector({
      database,
      pages: new Map(manifest.pages.map((page) => [page.path, page])),
      limiter: createRateLimiter({ limit: config.eventsPerMinute }),
      maxBodyBytes: tracking.maxBodyBytes,
      bodyTimeoutMs,
      timeZone: site.timeZone,
      siteHost,
    }),
    receiveMessage: createMessageReceiver({
      database,
      pages: messagePages,
      limiter: createRateLimiter({ limit: config.messagesPerHour, windowMs: hour }),
      secret: formSecret,
      timeZone: site.timeZone,
      siteHost,
      maxBodyBytes: messageForm.maxBodyBytes,
      bodyTimeoutMs,
      minFillMs: messageForm.minFillSeconds * 1000,
      maxFormAgeMs: messageForm.maxFormAgeHours * hour,
      // The author's mail goes through the outbox, so a restart does not lose it.
      onStored: outbox
        ? (message, page, id) => {
            const mail = notification(message, page, reportUrl, config.messageRetentionDays);
            database
              .transaction((tx) =>
                queueMail(tx, {
                  recipient: addressKey(keys, mail.to.address),
                  cause: `message:${id}`,
                  kind: 'message',
                  content: mail,
                }),
              )
              .then(
                () => wakeOutbox(),
                (error: Error) =>
                  console.error(`Could not queue the mail about a new message: ${errorForLog(error)}`),
              );
          }
        : undefined,
    }),
    refuseReport: createReportGate({
      credentials: config.report,
      database,
      maxFailures: reportLogin.maxFailures,
      windowMs: reportLogin.windowMinutes * 60_000,
      globalFailures: reportLogin.globalFailures,
      turnMs: reportLogin.turnMs,
      maxWaitMs: reportLogin.maxWaitSeconds * 1000,
    }),
    readReport: createReportReader(database, sqlitePath),
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
