// What a PostgreSQL URL means here (`REEKS_DATABASE_URL`, docs/operating.md#postgresql). Parsed by
// this module, not by pg-connection-string, so that each `sslmode` means one documented thing:
// pg 8 reads `require` and `verify-ca` as verify-full (and warns), pg 9 will read them as libpq
// does, and an upgrade of the driver must not quietly weaken a connection. No I/O here: the
// configuration checks a URL with it, and src/server/postgres.ts reads the files it names.

/**
 * - `disable`: no TLS (also when the URL has no sslmode, as pg does).
 * - `no-verify`: TLS, but any certificate is accepted: encrypted, not protected from an impostor.
 * - `verify-ca`: TLS, the certificate must be signed by the CA of `sslrootcert` (required); the
 *   host name is not checked.
 * - `verify-full`: TLS, the certificate must be signed by `sslrootcert`'s CA (or one the system
 *   trusts) and name the host.
 * - `require`: the same as verify-full, as pg 8 reads it (libpq would check nothing).
 */
export type SslMode = 'disable' | 'no-verify' | 'require' | 'verify-ca' | 'verify-full';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  /** Undefined: pg looks in PGPASSWORD and ~/.pgpass. */
  password?: string;
  database: string;
  sslMode: SslMode;
  /** The CA file that signs the server's certificate; undefined or "system": the system's CAs. */
  sslRootCert?: string;
  /** A client certificate and its key, for servers that ask for one. */
  sslCert?: string;
  sslKey?: string;
  applicationName?: string;
  /** Seconds to wait for a connection (libpq's connect_timeout). */
  connectTimeoutSeconds?: number;
}

const sslModes: readonly SslMode[] = ['disable', 'no-verify', 'require', 'verify-ca', 'verify-full'];
const parameters = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'connect_timeout'];

const example = 'postgres://reeks:password@db.example.com:5432/reeks?sslmode=verify-full';

/** The URL's parts, or an Error whose message is one line saying what is wrong (no URL in it). */
export function parsePostgresUrl(value: string): PostgresTarget {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol))
    throw new Error(`must be a postgres:// (or postgresql://) URL, such as ${example}`);
  // new URL keeps brackets around an IPv6 address; pg wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error(`must name the server's host, as in ${example}`);
  if (!url.username) throw new Error(`must name the role before the host, as in ${example}`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/'))
    throw new Error(`must name the database after the host, as in ${example}`);
  const unknown = [...url.searchParams.keys()].find((key) => !parameters.includes(key));
  if (unknown !== undefined)
    throw new Error(
      `has the parameter "${unknown}", which is not used here; known: ${parameters.join(', ')}`,
    );
  const param = (name: string) => url.searchParams.get(name) ?? undefined;
  const sslModeValue = param('sslmode') ?? 'disable';
  if (sslModeValue === 'prefer' || sslModeValue === 'allow')
    throw new Error(
      `has sslmode=${sslModeValue}, which falls back to an unencrypted connection: the driver cannot do that; use sslmode=verify-full (TLS, certificate checked) or sslmode=disable`,
    );
  if (!(sslModes as readonly string[]).includes(sslModeValue))
    throw new Error(`has sslmode=${sslModeValue}; use one of ${sslModes.join(', ')}`);
  const sslMode = sslModeValue as SslMode;
  const sslRootCert = param('sslrootcert');
  if (sslMode === 'verify-ca' && (!sslRootCert || sslRootCert === 'system'))
    throw new Error(
      'has sslmode=verify-ca without sslrootcert=<CA file>: any certificate from a public CA would pass; give the CA, or use sslmode=verify-full',
    );
  if (sslMode === 'disable' && (sslRootCert || param('sslcert') || param('sslkey')))
    throw new Error(
      'names certificates but has no sslmode (or sslmode=disable): add sslmode=verify-full for TLS',
    );
  if (Boolean(param('sslcert')) !== Boolean(param('sslkey')))
    throw new Error('must have sslcert and sslkey together, or neither');
  const connectTimeout = param('connect_timeout');
  if (connectTimeout !== undefined && !/^[1-9]\d{0,3}$/.test(connectTimeout))
    throw new Error(`has connect_timeout=${connectTimeout}; it is whole seconds, e.g. connect_timeout=10`);
  return {
    host,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    database,
    sslMode,
    ...(sslRootCert && { sslRootCert }),
    ...(param('sslcert') && { sslCert: param('sslcert'), sslKey: param('sslkey') }),
    ...(param('application_name') && { applicationName: param('application_name') }),
    ...(connectTimeout && { connectTimeoutSeconds: Number(connectTimeout) }),
  };
}

/** Host and port for messages, an IPv6 address in brackets. */
export const hostAndPort = (target: Pick<PostgresTarget, 'host' | 'port'>) =>
  `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;

/** The URL for the start line and the log: without the password, with the sslmode in effect. */
export function describePostgres(value: string): string {
  try {
    const target = parsePostgresUrl(value);
    const root = target.sslRootCert ? `&sslrootcert=${target.sslRootCert}` : '';
    return `postgres://${encodeURIComponent(target.user)}@${hostAndPort(target)}/${encodeURIComponent(target.database)}?sslmode=${target.sslMode}${root}`;
  } catch {
    // Not a URL this server accepts: still never print a password.
    return value.replace(/\/\/([^/@]*?):[^/@]*@/, '//$1@');
  }
}
