// The one place the server reads its environment. `npm start`, `npm run stats`, `npm run messages`
// and `npm run backup` call readServerConfig once when they begin, and hand the result to the code
// that needs it; no other server module reads process.env, and nothing writes to it. A mistake
// throws a ConfigError whose message is one line naming the variable and the fix.
import { resolve } from 'node:path';
import {
  ConfigError,
  messageRetentionDays,
  setValue as set,
  wholeNumber,
  type Environment,
} from '../lib/environment.ts';
import { followForm, messageForm, tracking } from '../site.config.ts';
import { editorSettings, type EditorSettings } from './editor-settings.ts';

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

export interface ReportCredentials {
  user: string;
  password: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** Absolute path of the SQLite file. */
  databasePath: string;
  eventsPerMinute: number;
  messagesPerHour: number;
  messageRetentionDays: number;
  /** Reverse proxies in front of the server: 0 means the socket address is the reader's. */
  trustedProxies: number;
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
    databasePath: resolve(set(env.REEKS_DB_PATH) ?? tracking.databasePath),
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
    trustedProxies: wholeNumber(env, 'REEKS_TRUSTED_PROXIES', {
      fallback: 0,
      min: 0,
      max: 10,
      what: 'the number of reverse proxies in front of the server',
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
  };
}
