// How `npm start` and the commands begin: the environment is checked once (src/server/config.ts),
// and an operator's mistake stops the command with one line and exit code 1, no stack trace.
import { existsSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { ConfigError, readServerConfig, type ServerConfig } from './config.ts';
import { openDatabase } from './db.ts';
import { creationMarker, databaseProblem, lostDatabase, recordCreation } from './db-watch.ts';

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
