// The one interface every store talks to (src/server/*-store.ts, outbox.ts, report.ts), with two
// implementations: SQLite through node:sqlite (the embedded default, src/server/db.ts opens it) and
// PostgreSQL through a `pg` pool (src/server/postgres.ts). Queries are plain SQL in the subset
// both dialects share, with `?` for positional parameters or `$name` for named ones; the few
// places where the dialects differ ask `dialect`. Plain SQL rather than a query builder: the
// stores' queries were SQL already, and all but a handful read the same in both dialects.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

type SqliteParams = [Record<string, SQLInputValue>] | SQLInputValue[];
import type { Pool, PoolClient } from 'pg';

export type SqlValue = string | number | null;
/** `?` in the query takes the array's values in order; `$name` takes the object's `name`. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  all<Row = Record<string, unknown>>(query: string, params?: SqlParams): Promise<Row[]>;
  get<Row = Record<string, unknown>>(query: string, params?: SqlParams): Promise<Row | undefined>;
  /** Runs a statement; `changes` is how many rows it inserted, updated or deleted. */
  run(query: string, params?: SqlParams): Promise<{ changes: number }>;
}

export interface Database extends Sql {
  /**
   * Runs `work` in one transaction: committed when the promise resolves, rolled back when it
   * rejects. `work` must only wait on `tx`: on SQLite nothing else runs on the connection meanwhile.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * What the server checks around each of its writes on SQLite (src/server/db-watch.ts): whether
 * the database takes writes at all, and, once a write has committed and before anyone is told
 * so, whether it went to the file at the configured path. Each may throw to refuse the write.
 */
export interface WriteGuard {
  beforeWrite(): void;
  afterCommit(): void;
  /** Told about a write that failed for another reason (a lock held too long, a full disk). */
  writeFailed(error: unknown): void;
}

/** A write the database's WriteGuard refused (src/server/db-watch.ts): the routes answer 503. */
export class DatabaseUnavailable extends Error {}

/**
 * What says the database is out of reach for now, not that a query is wrong: the server answers
 * 503 and the writer tries again later. PostgreSQL refusing or dropping connections, shutting
 * down, out of connections or cancelling a statement past statement_timeout; SQLite's lock held
 * by another process too long.
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '08000',
  '08001',
  '08003',
  '08006',
  '53300',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);
const unavailableMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;
const sqliteBusyOrLocked = new Set([5, 6]);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  // A host name with several addresses, all refusing: Node reports each in one AggregateError.
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.every(isUnavailable);
  const { code, errcode, message } = (error ?? {}) as { code?: string; errcode?: number; message?: string };
  if (typeof errcode === 'number') return sqliteBusyOrLocked.has(errcode & 0xff);
  return (code !== undefined && unavailableCodes.has(code)) || unavailableMessages.test(message ?? '');
}

const namedParameter = /\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The query and values as PostgreSQL numbers them: `$1`, `$2`, … */
export function numberedQuery(query: string, params: SqlParams = []): { text: string; values: SqlValue[] } {
  if (Array.isArray(params)) {
    let index = 0;
    return { text: query.replace(/\?/g, () => `$${++index}`), values: [...params] };
  }
  const named = params as Readonly<Record<string, SqlValue>>;
  const order: string[] = [];
  const text = query.replace(namedParameter, (_, name: string) => {
    if (!(name in named)) throw new Error(`The query names $${name}, which its parameters lack.`);
    const at = order.indexOf(name);
    return `$${(at === -1 ? order.push(name) : at + 1).toString()}`;
  });
  return { text, values: order.map((name) => named[name]!) };
}

// ---------------------------------------------------------------------------------------------
// SQLite

const sqliteBusy = 5;
const isBusy = (error: unknown) => (error as { errcode?: number }).errcode === sqliteBusy;

/** node:sqlite wants named parameters with their prefix. */
const sqliteParams = (params: SqlParams): SqliteParams =>
  Array.isArray(params)
    ? (params as SQLInputValue[])
    : [Object.fromEntries(Object.entries(params).map(([name, value]) => [`$${name}`, value]))];

export interface SqliteOptions {
  /** The server's checks around each write (db-watch.ts); the commands have none. */
  guard?: WriteGuard;
  /**
   * How long a write waits for another process's lock (`npm run messages -- --verwijder`, a
   * backup), asynchronously, before it fails with SQLite's "database is locked" (the routes: 503).
   */
  lockTimeoutMs?: number;
}

/**
 * The Database on an open node:sqlite connection. Statements are prepared once per query text.
 * Everything on the connection runs one at a time, in the order asked: a transaction waits on
 * `tx` between its statements, and no other statement may come in between on the same connection.
 */
export function sqliteDatabase(
  connection: DatabaseSync,
  { guard, lockTimeoutMs = 5000 }: SqliteOptions = {},
) {
  const statements = new Map<string, StatementSync>();
  const prepared = (query: string) => {
    let statement = statements.get(query);
    if (!statement) {
      statement = connection.prepare(query);
      statements.set(query, statement);
    }
    return statement;
  };
  const sql: Sql = {
    dialect: 'sqlite',
    all: async <Row>(query: string, params: SqlParams = []) =>
      prepared(query).all(...(sqliteParams(params) as SQLInputValue[])) as Row[],
    get: async <Row>(query: string, params: SqlParams = []) =>
      prepared(query).get(...(sqliteParams(params) as SQLInputValue[])) as Row | undefined,
    run: async (query: string, params: SqlParams = []) => ({
      changes: Number(prepared(query).run(...(sqliteParams(params) as SQLInputValue[])).changes),
    }),
  };

  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `task` once everything asked before it has finished. */
  function inTurn<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  }

  async function begin() {
    // IMMEDIATE takes the write lock first, so a read inside the transaction sees what it will
    // change. Another process's lock is waited for here, without blocking the thread.
    const deadline = Date.now() + lockTimeoutMs;
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      try {
        connection.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() + wait > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async function transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return inTurn(async () => {
      guard?.beforeWrite();
      let result: T;
      try {
        await begin();
        try {
          result = await work(sql);
          connection.exec('COMMIT');
        } catch (error) {
          if (connection.isTransaction) connection.exec('ROLLBACK');
          throw error;
        }
      } catch (error) {
        guard?.writeFailed(error);
        throw error;
      }
      guard?.afterCommit();
      return result;
    });
  }

  const database: Database & { connection: DatabaseSync } = {
    dialect: 'sqlite',
    connection,
    all: (query, params) => inTurn(() => sql.all(query, params)),
    get: (query, params) => inTurn(() => sql.get(query, params)),
    // A statement on its own is a transaction of its own, guarded like any write.
    run: (query, params) => transaction((tx) => tx.run(query, params)),
    transaction,
    close: () =>
      inTurn(async () => {
        if (connection.isOpen) connection.close();
      }),
  };
  return database;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function postgresSql(client: Pool | PoolClient): Sql {
  return {
    dialect: 'postgres',
    all: async <Row>(query: string, params?: SqlParams) =>
      (await client.query(numberedQuery(query, params))).rows as Row[],
    get: async <Row>(query: string, params?: SqlParams) =>
      (await client.query(numberedQuery(query, params))).rows[0] as Row | undefined,
    run: async (query: string, params?: SqlParams) => ({
      changes: (await client.query(numberedQuery(query, params))).rowCount ?? 0,
    }),
  };
}

/**
 * The Database on a `pg` pool (src/server/postgres.ts opens it): statements outside a
 * transaction take any connection; a transaction holds one until it ends. READ COMMITTED, as
 * PostgreSQL's default: the stores that must not race take row locks or rely on unique keys.
 */
export function postgresDatabase(pool: Pool): Database {
  return {
    ...postgresSql(pool),
    async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(postgresSql(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // A connection that cannot roll back is not handed out again.
          broken = rollbackError;
        }
        throw error;
      } finally {
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
