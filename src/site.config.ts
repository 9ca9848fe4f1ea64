// The one place for site-wide settings. Pages, content schemas and scripts read from here.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import {
  ConfigError,
  messageRetentionDays,
  publicationMoment,
  securityContact,
  siteUrl,
} from './environment.ts';

/**
 * The build's mistakes in the environment, one line each. Every variable is read once, below,
 * strictly (src/environment.ts); a wrong one takes its default here so this module still loads,
 * and the build stops with the line before it reads any content (src/integrations/content-check.ts).
 */
export const buildEnvironmentProblems: string[] = [];

function fromEnvironment<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    buildEnvironmentProblems.push(error.message);
    return fallback;
  }
}

/** The public address unless `SITE_URL` gives another; the server reads the same variable. */
export const defaultSiteUrl = 'https://reeks.example.com';

export const site = {
  /** Public address of the site, for canonical URLs, feeds, the sitemap and social previews. */
  url: fromEnvironment(() => siteUrl(process.env, defaultSiteUrl), defaultSiteUrl),
  name: 'Reeks',
  title: 'Reeks — artikelreeksen over informatievoorziening bij gemeenten',
  description:
    'Artikelreeksen voor gemeenten over digitale transformatie, informatiebeleid en dienstverlening.',
  lang: 'nl',
  locale: 'nl-NL',
  /** Where days begin and end: the date of a new part, the days in statistics. */
  timeZone: 'Europe/Amsterdam',
  /** Reading speed used for the computed reading time. */
  wordsPerMinute: 200,
  /** Posts in /rss.xml, newest first: feed readers poll it, the sitemap lists everything. */
  feedItems: 50,
  /** The site team's address: where security.txt points unless `SECURITY_CONTACT` says otherwise. */
  contactEmail: 'redactie@reeks.example.com',
} as const;

/**
 * /.well-known/security.txt (RFC 9116, on the Dutch government's "pas toe of leg uit" list):
 * where to report a vulnerability, a `mailto:` address or an `https:` page (`SECURITY_CONTACT`).
 */
export const securityPolicy = {
  contact: fromEnvironment(
    () => securityContact(process.env, `mailto:${site.contactEmail}`),
    `mailto:${site.contactEmail}`,
  ),
  /** The file must say when to stop trusting it, under a year ahead: each build sets it anew. */
  validDays: 180,
  languages: ['nl', 'en'],
} as const;

/**
 * The moment a build publishes for: parts dated after its day (in `site.timeZone`) are left out.
 * Now, unless `REEKS_NOW` gives a day (YYYY-MM-DD) or moment; `npm run publish -- --date` sets it.
 */
export const publishedAsOf = fromEnvironment(() => publicationMoment(process.env.REEKS_NOW), new Date());

/** Contact tracking and the marketing report (docs/tracking-and-report.md). */
export const tracking = {
  /** Largest request body the collector reads, in bytes. */
  maxBodyBytes: 2048,
  /** Events one client may send per minute unless `REEKS_EVENTS_PER_MINUTE` says otherwise. */
  eventsPerMinute: 60,
  /** Periods the report offers, in days. */
  reportPeriods: [7, 30, 90],
  defaultReportPeriod: 30,
  /** Where the database lives unless `REEKS_DB_PATH` says otherwise. */
  databasePath: 'data/site.db',
  /**
   * New sources (and, apart, new campaigns) one day may bring: beyond it, the collector stores
   * a source or campaign it has never seen as "overige", so made-up `utm_source` values cannot
   * grow the database's list of sources without end. The report says when it happened.
   */
  newSourcesPerDay: 500,
  /**
   * Wrong logins to the report one client may try in a window before it gets 429 until the window
   * ends; and, for all clients together, the wrong logins in a minute from which every login waits
   * its turn, one per `turnMs`, for at most `maxWaitSeconds` (src/server/report-auth.ts).
   */
  reportLogin: { maxFailures: 5, windowMinutes: 15, globalFailures: 30, turnMs: 1000, maxWaitSeconds: 10 },
} as const;

const defaultRetentionDays = 365;

/** "Laat een bericht achter": the form under each part (docs/tracking-and-report.md). */
export const messageForm = {
  /** Days a message is kept before it is deleted, unless `REEKS_MESSAGE_RETENTION_DAYS` says otherwise. */
  defaultRetentionDays,
  /**
   * The retention the privacy page of this build states. A wrong value stops the build
   * (src/integrations/content-check.ts); `npm start` refuses a retention other than the build's.
   */
  retentionDays: fromEnvironment(
    () => messageRetentionDays(process.env, defaultRetentionDays),
    defaultRetentionDays,
  ),
  /** A form sent sooner than this after the page was served is taken for a bot. */
  minFillSeconds: 3,
  /** A form older than this is sent back to the reader with a fresh token, the input kept. */
  maxFormAgeHours: 24,
  /** Messages one client may send per hour unless `REEKS_MESSAGES_PER_HOUR` says otherwise. */
  perHour: 10,
  /** Largest form body the server reads, in bytes: the longest question in any script, percent-encoded. */
  maxBodyBytes: 32_768,
  /** Messages per page in the report (`npm run messages` lists them all). */
  reportPageSize: 50,
  /** How often the server deletes messages older than `retentionDays`. */
  purgeEveryMs: 60 * 60 * 1000,
} as const;

/** "Volg deze reeks per e-mail": the follow form, its confirmation and the mail per new part (docs/operating.md). */
export const followForm = {
  /** Largest form body the server reads, in bytes: an address of 254 characters, percent-encoded, and the rest. */
  maxBodyBytes: 4096,
  /** At most one confirmation mail for a series to one address in this many hours, whoever asks. */
  perAddressHours: 24,
  /** A confirmation link works this many days; an unsubscribe link never expires. */
  confirmDays: 7,
  /** Mails the outbox sends per minute unless `REEKS_MAILS_PER_MINUTE` says otherwise. */
  mailsPerMinute: 120,
  /** Mails the outbox marks as being sent at once: the most that can be in doubt after a crash. */
  batchSize: 20,
  /**
   * Minutes a batch's claim holds without a sign of life from the process that claimed it: then
   * its rows count as in doubt (never sent again), so a server on another host that stopped
   * mid-batch does not hold them forever. A sender renews its claims while it sends (a third of
   * this at the latest), so only a stopped or frozen process lets one run out; on its own host, a
   * stopped process's claims are in doubt at once. Longer than any one send can take.
   */
  claimLeaseMinutes: 15,
  /**
   * Days a confirmation's or an author's mail keeps its row in the outbox once it is no longer
   * waiting (a record for the operator), before the hourly clean-up deletes it. A part's mails
   * keep theirs: they make sure nobody gets a part twice, and the report counts them.
   */
  mailRecordDays: 30,
  /** Tries for an answer 5xx before the address counts as failing; 4xx is tried this often with back-off. */
  permanentTries: 3,
  temporaryTries: 8,
} as const;

/**
 * Where the editors' content lives. `CONTENT_DIR` lets tests and benchmarks build another
 * content tree without touching `content/`.
 */
export const contentDir = resolve(process.env.CONTENT_DIR ?? 'content');

/**
 * Where a build keeps what the next build of the same content reuses: Astro's content store and
 * its incremental build cache (docs/builds.md). node_modules/.astro for content/; any other content
 * folder (tests, benchmarks) gets a folder of its own, so that no two builds share one.
 */
export function buildCacheDir(content = contentDir): string {
  if (content === resolve('content')) return resolve('node_modules/.astro');
  return resolve(
    'node_modules/.astro/other-content',
    createHash('sha256').update(content).digest('hex').slice(0, 16),
  );
}

/** First URL segments owned by the site itself; a series id may not take one of them. */
export const reservedSegments = [
  'artikelen',
  'auteurs',
  'diensten',
  'zoeken',
  'stats',
  'api',
  'admin',
  'privacy',
  'toegankelijkheid',
  'berichten',
  'volgen',
  '_astro',
  'pagefind',
  '404',
  'voorbeeld',
  'voorbeeld-bouw',
] as const;

/** The full address of a site-relative path, for feeds, canonical URLs and structured data. */
export const absoluteUrl = (path: string) => new URL(path, site.url).href;

/** URL of a series page, a part, a standalone post, an author and a service. */
export const paths = {
  series: (seriesId: string) => `/${seriesId}/`,
  part: (seriesId: string, slug: string) => `/${seriesId}/${slug}/`,
  standalone: (slug: string) => `/artikelen/${slug}/`,
  author: (authorId: string) => `/auteurs/${authorId}/`,
  /** Social preview image of the page at `pageUrl`: /digitale-transformatie/ → /og/digitale-transformatie.png */
  ogImage: (pageUrl: string) => `/og${pageUrl.replace(/\/$/, '')}.png`,
  /** The feed of one series: /digitale-transformatie/rss.xml */
  seriesFeed: (seriesId: string) => `/${seriesId}/rss.xml`,
  service: (serviceId: string) => `/diensten/${serviceId}/`,
  /** Where the message form posts, the thank-you page after it, and the privacy statement. */
  messages: '/berichten/',
  messageSent: '/berichten/bedankt/',
  privacy: '/privacy/',
  accessibility: '/toegankelijkheid/',
  securityTxt: '/.well-known/security.txt',
  /** The page to follow a series by e-mail or feed: /digitale-transformatie/volgen/ */
  follow: (seriesId: string) => `/${seriesId}/volgen/`,
  /** Where the follow form posts, the page after it, and the links in mail. */
  followPost: '/volgen/',
  followSent: '/volgen/verstuurd/',
  followConfirm: '/volgen/bevestigen/',
  unsubscribe: '/volgen/afmelden/',
  /** RFC 8058's one-click POST (List-Unsubscribe), answered by the server without a page. */
  unsubscribeOneClick: '/volgen/afmelden/een-klik/',
};

/**
 * The Content-Security-Policy of every page. Astro adds the hashes of each page's inline scripts
 * and styles (script-src, style-src); nothing is allowed inline without one.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
] as const;
