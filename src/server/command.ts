// How `npm start` and the commands begin: the environment is checked once (src/server/config.ts),
// and an operator's mistake stops the command with one line and exit code 1, no stack trace.
import { existsSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { ConfigError, readServerConfig, type ServerConfig } from './config.ts';
import { openDatabase } from './db.ts';

export async function runCommand(main: (config: ServerConfig) => unknown): Promise<void> {
  try {
    await main(readServerConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** Opens the database, or stops with the variable to change. */
export function openConfiguredDatabase(
  config: ServerConfig,
  options?: Parameters<typeof openDatabase>[1],
): DatabaseSync {
  try {
    return openDatabase(config.databasePath, options);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Set REEKS_DB_PATH to a file the server may write.`);
  }
}

/** For the commands that read what the server wrote: the database, or a stop when there is none. */
export function openExistingDatabase(config: ServerConfig): DatabaseSync {
  if (!existsSync(config.databasePath)) {
    throw new ConfigError(
      `No database at ${config.databasePath}: start the site first (npm start), or set REEKS_DB_PATH.`,
    );
  }
  return openConfiguredDatabase(config);
}
