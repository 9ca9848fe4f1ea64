// The one place the server reads its environment. `npm start`, `npm run stats`, `npm run messages`
// and `npm run backup` call readServerConfig once when they begin, and hand the result to the code
// that needs it; no other server module reads process.env, and nothing writes to it. A mistake
// throws a ConfigError whose message is one line naming the variable and the fix.
import { resolve } from 'node:path';
import {
  ConfigError,
  messageRetentionDays,
  setValue as set,
  siteUrl,
  wholeNumber,
  type Environment,
} from '../environment.ts';
import { defaultSiteUrl, followForm, messageForm, tracking } from '../site.config.ts';
import { ipv6PrefixRange, parseProxyRange } from './client-address.ts';
import { editorSettings, type EditorSettings } from './editor-settings.ts';
import { parsePostgresUrl } from './postgres-url.ts';
import { z } from 'astro/zod';
import { reportSchedules, type ReportSchedule } from '../lib/report-schedule.ts';
import { operatorEmail, publishHookSettings, type PublishHookSettings } from './publish-settings.ts';

export { ConfigError };

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** The sender of every notification, e.g. "Reeks <noreply@example.com>". */
  from: string;
}

/** The stores on PostgreSQL instead of the SQLite file (docs/operating.md#postgresql). */
export interface PostgresSettings {
  /** With the password: never log it, print describePostgres(url) (src/server/postgres-url.ts). */
  url: string;
  /** Where the URL came from, for the lines that tell the operator what to change. */
  variable: string;
  /** Connections each process holds open at most. */
  poolSize: number;
  /** The server cancels a statement that runs longer. */
  statementTimeoutMs: number;
}

export interface ReportCredentials {
  user: string;
  password: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** The site's public address (`SITE_URL`, as for the build): https turns on HSTS. */
  siteUrl: string;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  /** Undefined: the stores are in the SQLite file. */
  postgres?: PostgresSettings;
  eventsPerMinute: number;
  messagesPerHour: number;
  messageRetentionDays: number;
  /**
   * The reverse proxies whose X-Forwarded-For is believed, as addresses and CIDR ranges; none:
   * every client is its socket address (src/server/client-address.ts).
   */
  trustedProxies: string[];
  /** IPv6 clients are counted per network of this many bits (48 to 64). */
  ipv6Prefix: number;
  /** A request body must have arrived this many seconds after it began, or it gets 408. */
  bodyTimeoutSeconds: number;
  /**
   * The one secret every signature derives its key from (src/server/secrets.ts): form tokens and
   * the links in mail. Undefined: generated once and kept beside the database.
   */
  secret?: string;
  /** Set when the secret came from the old name, REEKS_FORM_SECRET: `npm start` says to rename it. */
  secretFromOldName?: boolean;
  /** Mails the outbox sends per minute at most (src/server/outbox.ts): SMTP providers limit it. */
  mailsPerMinute: number;
  /** Undefined: no e-mail to authors. */
  smtp?: SmtpSettings;
  /** Undefined: the report is off (404). */
  report?: ReportCredentials;
  /** Undefined: the browser editor is not served (docs/editor-on-the-live-site.md). */
  editor?: EditorSettings;
  /** Worker processes `npm start` serves with (src/server/workers.ts), 1 to 64. */
  workers: number;
  /** Who gets the report by e-mail (REEKS_REPORT_MAIL_TO); empty: nobody. */
  reportMailTo: string[];
  /** When the report is mailed (REEKS_REPORT_MAIL); undefined: never by itself. */
  reportMail?: ReportSchedule;
  /** Raising it (REEKS_REPORT_LINK_GENERATION) revokes every author's link at once. */
  reportLinkGeneration: number;
  /** For tests only (REEKS_TEST_NOW): the moment the report's schedule and links take as now. */
  testNow?: Date;
  /** Undefined: POST /api/publish-hook/ answers 404 (src/server/publish-hook.ts). */
  publishHook?: PublishHookSettings;
  /** Who is mailed a failed publish's lines, through the outbox when SMTP is set. */
  operatorEmail?: string;
}

/** The shortest report password accepted: guessing one is then out of reach, even unthrottled. */
export const minReportPasswordLength = 12;

function smtpSettings(env: Environment): SmtpSettings | undefined {
  const host = set(env.SMTP_HOST);
  if (!host) return undefined;
  const from = set(env.SMTP_FROM);
  if (!from)
    throw new ConfigError(
      'SMTP_HOST is set but SMTP_FROM is not: set SMTP_FROM to the sender, e.g. SMTP_FROM="Reeks <noreply@example.com>".',
    );
  const secureValue = (env.SMTP_SECURE ?? '').trim().toLowerCase();
  if (!['', 'true', 'false'].includes(secureValue))
    throw new ConfigError(`SMTP_SECURE must be true or false, not "${env.SMTP_SECURE}".`);
  const secure = secureValue === 'true';
  const port = wholeNumber(env, 'SMTP_PORT', {
    fallback: secure ? 465 : 587,
    min: 1,
    max: 65_535,
    what: 'a port number',
  });
  const user = set(env.SMTP_USER);
  const password = env.SMTP_PASSWORD || undefined;
  if (Boolean(user) !== Boolean(password))
    throw new ConfigError('Set SMTP_USER and SMTP_PASSWORD together, or neither.');
  return { host, port, secure, from, ...(user && password ? { user, password } : {}) };
}

function reportCredentials(env: Environment): ReportCredentials | undefined {
  const user = set(env.STATS_USER);
  const password = env.STATS_PASSWORD || undefined;
  if (!user && !password) return undefined;
  if (!password)
    throw new ConfigError(
      'STATS_USER is set but STATS_PASSWORD is not: set both to turn the report on, or neither to leave it off.',
    );
  if (!user)
    throw new ConfigError(
      'STATS_PASSWORD is set but STATS_USER is not: set both to turn the report on, or neither to leave it off.',
    );
  if ([...password].length < minReportPasswordLength) {
    throw new ConfigError(
      `STATS_PASSWORD must be at least ${minReportPasswordLength} characters long: choose a longer one, e.g. from "openssl rand -base64 18".`,
    );
  }
  return { user, password };
}

const reportMailAddress = z.email();

/**
 * REEKS_REPORT_MAIL_TO, REEKS_REPORT_MAIL, REEKS_REPORT_LINK_GENERATION and the tests' clock,
 * REEKS_TEST_NOW: the report by e-mail and the authors' links (src/server/report-mail.ts,
 * src/server/report-link.ts).
 */
function reportMailSettings(env: Environment) {
  const to = (set(env.REEKS_REPORT_MAIL_TO) ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const wrong = to.find(
    (address) => /[\u0000-\u001f\u007f<>"]/.test(address) || !reportMailAddress.safeParse(address).success,
  );
  if (wrong !== undefined)
    throw new ConfigError(
      `REEKS_REPORT_MAIL_TO must be e-mail addresses separated by commas, and ${JSON.stringify(wrong)} is not one: e.g. REEKS_REPORT_MAIL_TO=marketing@example.com,auteur@example.com.`,
    );
  const schedule = set(env.REEKS_REPORT_MAIL)?.toLowerCase();
  if (schedule !== undefined && !reportSchedules.includes(schedule as ReportSchedule))
    throw new ConfigError(
      `REEKS_REPORT_MAIL must be weekly, monthly or both, not "${env.REEKS_REPORT_MAIL}"; unset it for no report by e-mail.`,
    );
  if (schedule !== undefined && to.length === 0)
    throw new ConfigError(
      'REEKS_REPORT_MAIL is set but REEKS_REPORT_MAIL_TO is not: set it to the addresses the report goes to.',
    );
  // SMTP_HOST's own mistakes are smtpSettings' to name.
  if (schedule !== undefined && !set(env.SMTP_HOST))
    throw new ConfigError(
      'REEKS_REPORT_MAIL is set but SMTP_HOST is not: the report is sent by e-mail, so set SMTP_HOST and SMTP_FROM.',
    );
  const testNowValue = set(env.REEKS_TEST_NOW);
  const testNow = testNowValue === undefined ? undefined : new Date(testNowValue);
  if (testNow && (Number.isNaN(testNow.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(testNowValue!)))
    throw new ConfigError(
      `REEKS_TEST_NOW must be an ISO moment, e.g. 2026-11-30T09:00:00Z, not "${testNowValue}"; it is for tests only: unset it.`,
    );
  return {
    reportMailTo: to,
    ...(schedule !== undefined && { reportMail: schedule as ReportSchedule }),
    reportLinkGeneration: wholeNumber(env, 'REEKS_REPORT_LINK_GENERATION', {
      fallback: 1,
      min: 1,
      max: 1_000_000,
      what: "the generation of the authors' report links (raise it to revoke them all)",
    }),
    ...(testNow && { testNow }),
  };
}

const secretExample = 'e.g. from "openssl rand -base64 32"';

/**
 * REEKS_DATABASE_URL, or DATABASE_URL (which hosting platforms set) when that is unset. Several
 * processes then share one database, so they must share the secret too: a secret generated per
 * process would make every other process's form tokens and mail links invalid.
 */
function postgresSettings(env: Environment, secret: string | undefined): PostgresSettings | undefined {
  const ownName = set(env.REEKS_DATABASE_URL) !== undefined;
  const name = ownName ? 'REEKS_DATABASE_URL' : 'DATABASE_URL';
  const url = set(env.REEKS_DATABASE_URL) ?? set(env.DATABASE_URL);
  // Read even when no URL is set, so that a wrong value is reported before it matters.
  const poolSize = wholeNumber(env, 'REEKS_DATABASE_POOL', {
    fallback: 10,
    min: 1,
    max: 100,
    what: 'the connections to PostgreSQL each process may hold',
  });
  const statementTimeoutMs = wholeNumber(env, 'REEKS_DATABASE_STATEMENT_TIMEOUT_MS', {
    fallback: 5000,
    min: 100,
    max: 600_000,
    what: 'the milliseconds a database statement may run',
  });
  if (url === undefined) return undefined;
  try {
    parsePostgresUrl(url);
  } catch (error) {
    // The value itself is not repeated: it may hold the password.
    throw new ConfigError(
      `${name} ${(error as Error).message}${ownName ? '' : ' (or set REEKS_DATABASE_URL, which is read first)'}.`,
    );
  }
  if (secret === undefined)
    throw new ConfigError(
      `${name} is set but REEKS_SECRET is not: every process on the one database must sign with the same secret; set REEKS_SECRET, the same for all of them, ${secretExample}.`,
    );
  return { url, variable: name, poolSize, statementTimeoutMs };
}

const proxyExample =
  'e.g. REEKS_TRUSTED_PROXIES=127.0.0.1,::1 for nginx on this machine, or its range, e.g. 10.0.0.0/8';

/** REEKS_TRUSTED_PROXIES: the proxies' addresses or CIDR ranges, separated by commas. */
function trustedProxyRanges(env: Environment): string[] {
  const value = set(env.REEKS_TRUSTED_PROXIES);
  if (value === undefined) return [];
  // The form before addresses: a number of proxies, which believed whoever reached the server.
  if (/^\d+$/.test(value))
    throw new ConfigError(
      `REEKS_TRUSTED_PROXIES names the proxies by address now, not by number ("${value}"): write their addresses, ${proxyExample}; unset it when no proxy stands in front.`,
    );
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const wrong = entries.find((entry) => !parseProxyRange(entry));
  if (wrong !== undefined)
    throw new ConfigError(
      `REEKS_TRUSTED_PROXIES must be addresses or CIDR ranges separated by commas, and "${wrong}" is neither: ${proxyExample}.`,
    );
  return entries;
}

/**
 * `npm start` serves the Node adapter's handler itself, behind its own guard; the adapter must not
 * also start a server of its own as its bundle loads. The npm script sets the adapter's switch
 * (the adapter's middleware mode instead would lose the static files and per-page headers).
 */
export function checkAdapterAutostartOff(env: Environment): void {
  if (env.ASTRO_NODE_AUTOSTART !== 'disabled')
    throw new ConfigError(
      'ASTRO_NODE_AUTOSTART must be "disabled" for the server, or the built adapter starts a second one: start it with `npm start`, which sets it.',
    );
}

/** Checks every variable the server knows; throws a ConfigError on the first mistake. */
export function readServerConfig(env: Environment): ServerConfig {
  // 0: any free port (the tests use it).
  const port = wholeNumber(env, 'PORT', { fallback: 4321, min: 0, max: 65_535, what: 'a port number' });
  const host = set(env.HOST) ?? 'localhost';
  if (/[\s/@]/.test(host))
    throw new ConfigError(
      `HOST must be a host name or address to listen on (e.g. 0.0.0.0 or localhost), not "${env.HOST}".`,
    );
  const newSecret = set(env.REEKS_SECRET);
  const oldSecret = set(env.REEKS_FORM_SECRET);
  const secret = newSecret ?? oldSecret;
  const secretName = newSecret ? 'REEKS_SECRET' : 'REEKS_FORM_SECRET';
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError(
      `${secretName} must be at least 32 characters long: use e.g. "openssl rand -base64 32", or unset it to have one kept beside the database.`,
    );
  }
  return {
    port,
    host,
    siteUrl: siteUrl(env, defaultSiteUrl),
    databasePath: resolve(set(env.REEKS_DB_PATH) ?? tracking.databasePath),
    postgres: postgresSettings(env, secret),
    eventsPerMinute: wholeNumber(env, 'REEKS_EVENTS_PER_MINUTE', {
      fallback: tracking.eventsPerMinute,
      min: 1,
      what: 'the events one client may send per minute',
    }),
    messagesPerHour: wholeNumber(env, 'REEKS_MESSAGES_PER_HOUR', {
      fallback: messageForm.perHour,
      min: 1,
      what: 'the messages one client may send per hour',
    }),
    messageRetentionDays: messageRetentionDays(env, messageForm.defaultRetentionDays),
    trustedProxies: trustedProxyRanges(env),
    ipv6Prefix: wholeNumber(env, 'REEKS_IPV6_PREFIX', {
      ...ipv6PrefixRange,
      what: 'the bits of the IPv6 network counted as one client',
    }),
    bodyTimeoutSeconds: wholeNumber(env, 'REEKS_BODY_TIMEOUT_SECONDS', {
      fallback: 10,
      min: 1,
      max: 300,
      what: 'the seconds a request body may take to arrive',
    }),
    ...(secret !== undefined && { secret, ...(!newSecret && { secretFromOldName: true }) }),
    mailsPerMinute: wholeNumber(env, 'REEKS_MAILS_PER_MINUTE', {
      fallback: followForm.mailsPerMinute,
      min: 1,
      what: 'the mails the outbox sends per minute',
    }),
    smtp: smtpSettings(env),
    report: reportCredentials(env),
    editor: editorSettings(env) ?? undefined,
    workers: wholeNumber(env, 'REEKS_WORKERS', {
      fallback: 1,
      min: 1,
      max: 64,
      what: 'the number of worker processes that serve the site',
    }),
    ...reportMailSettings(env),
    publishHook: publishHookSettings(env),
    operatorEmail: operatorEmail(env),
  };
}
