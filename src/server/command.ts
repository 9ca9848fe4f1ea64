// How `npm start` and the commands begin: the environment is checked once (src/server/config.ts),
// and an operator's mistake stops the command with one line and exit code 1, no stack trace.
import { existsSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { ConfigError, readServerConfig, type PostgresSettings, type ServerConfig } from './config.ts';
import { postgresDatabase, type Database } from './database.ts';
import { databaseOf, openDatabase } from './db.ts';
import {
  creationMarker,
  databaseProblem,
  lostDatabase,
  recordCreation,
  watchDatabase,
  watchPostgres,
  type DatabaseWatch,
} from './db-watch.ts';
import { checkPostgres, describePostgres, openPostgres } from './postgres.ts';
import { migratePostgres } from './postgres-schema.ts';

export async function runCommand(main: (config: ServerConfig) => unknown): Promise<void> {
  try {
    await main(readServerConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** Opens the database, or stops with one line: what is wrong with it, or the variable to change. */
export function openConfiguredDatabase(
  config: ServerConfig,
  options?: Parameters<typeof openDatabase>[1],
): DatabaseSync {
  try {
    return openDatabase(config.databasePath, options);
  } catch (error) {
    throw new ConfigError(
      databaseProblem(config.databasePath, error) ??
        `${(error as Error).message}. Set REEKS_DB_PATH to a file the server may write.`,
    );
  }
}

/**
 * For `npm start`: the database, made only where none has ever been (src/server/db-watch.ts),
 * and proven writable; or a stop with one line.
 */
export function openServerDatabase(config: ServerConfig): DatabaseSync {
  const lost = lostDatabase(config.databasePath);
  if (lost) throw new ConfigError(lost);
  const db = openConfiguredDatabase(config, { blockOnLock: false, checkWritable: true });
  try {
    recordCreation(config.databasePath);
  } catch (error) {
    db.close();
    throw new ConfigError(
      databaseProblem(config.databasePath, error) ??
        `Cannot write ${creationMarker(config.databasePath)}: ${(error as Error).message}.`,
    );
  }
  return db;
}

/** For the commands that read what the server wrote: the database, or a stop when there is none. */
export function openExistingDatabase(config: ServerConfig): DatabaseSync {
  const lost = lostDatabase(config.databasePath);
  if (lost) throw new ConfigError(lost);
  if (!existsSync(config.databasePath)) {
    throw new ConfigError(
      `No database at ${config.databasePath}: start the site first (npm start), or set REEKS_DB_PATH.`,
    );
  }
  return openConfiguredDatabase(config);
}

/**
 * The PostgreSQL database of these settings: connected once (a wrong URL, password or certificate
 * stops the command with one line) and its schema brought up to date under an advisory lock.
 */
export async function openPostgresStore(settings: PostgresSettings): Promise<Database> {
  const pool = openPostgres(settings);
  try {
    await checkPostgres(pool, { variable: settings.variable });
    const client = await pool.connect();
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `The database at ${describePostgres(settings.url)} cannot be used: ${(error as Error).message}`,
    );
  }
  return postgresDatabase(pool);
}

const postgresDescription = (settings: PostgresSettings) =>
  `PostgreSQL at ${describePostgres(settings.url)} (${settings.variable}), at most ${settings.poolSize} connections per process`;

/** What `npm start` serves with: every store's database, and the watch /healthz/db answers from. */
export interface ServerStore {
  database: Database;
  watch: DatabaseWatch;
  /** The SQLite file, for the report's own read-only connection; undefined on PostgreSQL. */
  sqlitePath?: string;
  /** Which database, in one line, without a password. */
  description: string;
}

/** For `npm start`: PostgreSQL when REEKS_DATABASE_URL is set, else the SQLite file, or a stop with one line. */
export async function openServerStore(config: ServerConfig): Promise<ServerStore> {
  if (config.postgres) {
    const database = await openPostgresStore(config.postgres);
    return {
      database,
      watch: watchPostgres(database),
      description: postgresDescription(config.postgres),
    };
  }
  const connection = openServerDatabase(config);
  // Pages are served while the file is checked; writes wait for it (src/server/db-watch.ts).
  const watch = watchDatabase(connection, config.databasePath);
  return {
    database: databaseOf(connection),
    watch,
    sqlitePath: config.databasePath,
    description: `SQLite at ${config.databasePath}`,
  };
}

/** For the commands that read what the server wrote: its database, PostgreSQL or SQLite. */
export async function openExistingStore(config: ServerConfig): Promise<Database> {
  return config.postgres ? openPostgresStore(config.postgres) : databaseOf(openExistingDatabase(config));
}

/**
 * For `npm start`'s primary: the database made or migrated, or a stop with one line, before any
 * worker opens its own; then closed again. Returns which database, in one line.
 */
export async function prepareServerStore(config: ServerConfig): Promise<string> {
  if (config.postgres) {
    await (await openPostgresStore(config.postgres)).close();
    return postgresDescription(config.postgres);
  }
  openServerDatabase(config).close();
  return `SQLite at ${config.databasePath}`;
}
