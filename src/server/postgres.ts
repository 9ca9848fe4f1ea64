// The connection pool for PostgreSQL (issue 26; docs/operating.md#postgresql). One pg.Pool per
// process, with a statement timeout on every connection, whole numbers for COUNT and SUM, and an
// error on an idle connection logged instead of crashing the process. checkPostgres connects once
// at start and turns every way that can fail into one line for the operator.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { ConfigError } from '../environment.ts';
import { hostAndPort, parsePostgresUrl, type PostgresTarget } from './postgres-url.ts';

export { describePostgres } from './postgres-url.ts';

export interface PostgresOptions {
  url: string;
  /** The most connections this process holds open at once. */
  poolSize: number;
  /** The server cancels a statement that runs longer (PostgreSQL's statement_timeout). */
  statementTimeoutMs: number;
  /** Waiting for a connection, when the URL has no connect_timeout. */
  connectTimeoutMs?: number;
  /** Told of a connection that failed outside a query; the pool replaces it. Default: one log line. */
  onConnectionError?: (error: Error) => void;
}

// int8 (COUNT, SUM of integers) and numeric (SUM, AVG) arrive as text, to keep every digit;
// the figures here stay far below 2^53, and callers want numbers. Per pool, not pg's globals.
function numberTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  types.setTypeParser(pg.types.builtins.NUMERIC, Number);
  return types;
}

function readSslFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `The ${name} file of the PostgreSQL URL, ${path}, cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give a readable file.`,
    );
  }
}

/** What each sslmode means here (src/server/postgres-url.ts), as Node's TLS options. */
export function tlsOptions(target: PostgresTarget): false | ConnectionOptions {
  if (target.sslMode === 'disable') return false;
  if (target.sslMode === 'no-verify') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ...(target.sslRootCert &&
      target.sslRootCert !== 'system' && { ca: readSslFile('sslrootcert', target.sslRootCert) }),
    ...(target.sslCert &&
      target.sslKey && {
        cert: readSslFile('sslcert', target.sslCert),
        key: readSslFile('sslkey', target.sslKey),
      }),
    // verify-ca: the chain is checked against the given CA; the name is not.
    ...(target.sslMode === 'verify-ca' && { checkServerIdentity: () => undefined }),
  };
}

// For checkPostgres's messages: the URL's parts of each pool openPostgres made.
const targets = new WeakMap<pg.Pool, PostgresTarget>();

export function openPostgres(options: PostgresOptions): pg.Pool {
  const target = parsePostgresUrl(options.url);
  const onConnectionError =
    options.onConnectionError ??
    ((error: Error) =>
      console.error(
        `PostgreSQL: a connection to ${hostAndPort(target)} failed (${error.message}); the pool opens another when needed.`,
      ));
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password !== undefined && { password: target.password }),
    database: target.database,
    ssl: tlsOptions(target),
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: target.connectTimeoutSeconds
      ? target.connectTimeoutSeconds * 1000
      : (options.connectTimeoutMs ?? 10_000),
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: target.applicationName ?? 'reeks',
    types: numberTypes(),
  });
  // A connection can fail while idle in the pool or held between queries (the server restarts, a
  // proxy drops it). pg emits 'error' on the client and, when idle, on the pool; an EventEmitter
  // without a listener would throw and end the process. The query in flight, if any, rejects.
  pool.on('connect', (client) => client.on('error', onConnectionError));
  pool.on('error', () => {
    // Already told through the client's listener above.
  });
  targets.set(pool, target);
  return pool;
}

const untrusted = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

/**
 * One line for the operator about a failed connection: what happened and what to change.
 * `variable` names where the URL came from.
 */
export function connectionProblem(
  error: unknown,
  target: Pick<PostgresTarget, 'host' | 'port' | 'user' | 'database' | 'sslMode'>,
  variable = 'REEKS_DATABASE_URL',
): string {
  const where = `PostgreSQL at ${hostAndPort(target)}`;
  const { code, message } = error as { code?: string; message?: string };
  const cause = (error as { cause?: { code?: string } }).cause;
  const text = (message ?? String(error)).split('\n')[0];
  if (code === '28P01')
    return `${where} refused the password of role "${target.user}": correct the password in ${variable}.`;
  if (code === '3D000')
    return `${where} has no database "${target.database}": create it (createdb -O ${target.user} ${target.database}) or correct ${variable}.`;
  if (code === '28000')
    return `${where} refused role "${target.user}": ${text}. Allow it in the server's pg_hba.conf, or correct ${variable}.`;
  if (code === '57P03')
    return `${where} is not accepting connections yet (${text}): start again when it has started.`;
  if (code === 'ECONNREFUSED')
    return `Cannot reach ${where}: connection refused. Is the server running there? Check the host and port in ${variable}.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `Cannot reach ${where}: the host "${target.host}" is not found. Check the host in ${variable}.`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(text))
    return `Cannot reach ${where}: no answer (${code ?? text}). Check the host and port in ${variable}, and that a firewall lets this machine through.`;
  if (code && untrusted.has(code))
    return `${where} presented a certificate this machine does not trust (${code}): give its CA with sslrootcert=/path/to/ca.pem in ${variable} (docs/operating.md#postgresql).`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `${where} presented a certificate for another name (${text}): connect by a name the certificate holds, or use sslmode=verify-ca with sslrootcert in ${variable}.`;
  if (text === 'The server does not support SSL connections')
    return `${where} does not offer TLS, and ${variable} asks for it (sslmode=${target.sslMode}): turn on ssl in the server, or use sslmode=disable on a network you trust.`;
  if (cause?.code && untrusted.has(cause.code)) return connectionProblem(cause, target, variable);
  return `${where} failed: ${text}${code ? ` (${code})` : ''}. Check ${variable}.`;
}

/**
 * Connects once and asks the server its version: at start, so that a wrong URL, password or
 * certificate stops the command with one line (a ConfigError) instead of failing the first reader.
 */
export async function checkPostgres(
  pool: pg.Pool,
  { variable = 'REEKS_DATABASE_URL' }: { variable?: string } = {},
): Promise<{ serverVersion: string }> {
  const target = targets.get(pool);
  if (!target) throw new Error('checkPostgres takes a pool made by openPostgres.');
  try {
    const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
    return { serverVersion: rows[0].server_version };
  } catch (error) {
    throw new ConfigError(connectionProblem(error, target, variable));
  }
}
