// The event collector on PostgreSQL next to SQLite, in the same run: 50 connections of valid
// events against one `npm start`, then against two `npm start` on one database (25 connections
// each), each run ended with SIGKILL and the rows counted against the 2xx answers. PostgreSQL is a
// cluster of the section's own with fsync on, as a production server runs; it needs Debian's
// postgresql installed (`.ci/postgres` installs it).
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import autocannon from 'autocannon';
import { startServer, type RunningServer } from '../../../e2e/fixtures/server.ts';
import { openPostgres } from '../../../src/server/postgres.ts';
import {
  postgresBinaries,
  startPrivateCluster,
  type PrivateCluster,
} from '../../../src/server/test-postgres-cluster.ts';
import { dropDatabase, withDatabase } from '../../../src/server/test-postgres.ts';
import { work, type BenchSection } from '../shared.ts';

interface Load {
  answered: number;
  other: number;
  perSecond: number;
  p99: number;
}

const path = '/digitale-transformatie/kansen-voor-de-dienstverlening/';

/** `amount` valid events over `connections` connections to one server. */
async function load(url: string, amount: number, connections: number) {
  return autocannon({
    url: `${url}/api/events/`,
    method: 'POST',
    connections,
    amount,
    headers: {
      'content-type': 'application/json',
      origin: url,
      referer: `${url}${path}?utm_source=linkedin`,
    },
    body: JSON.stringify({
      type: 'pageview',
      path,
      author: 'job-coenen',
      series: 'digitale-transformatie',
      part: 2,
    }),
  });
}

/** The same load spread over the servers, at once; their figures summed, the worst p99. */
async function loadAll(servers: RunningServer[], amount: number): Promise<Load> {
  const started = performance.now();
  const results = await Promise.all(
    servers.map((server) => load(server.url, Math.round(amount / servers.length), 50 / servers.length)),
  );
  const seconds = (performance.now() - started) / 1000;
  const answered = results.reduce((sum, result) => sum + result['2xx'], 0);
  return {
    answered,
    other: results.reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0),
    perSecond: Math.round(answered / seconds),
    p99: Math.max(...results.map((result) => result.latency.p99)),
  };
}

interface Measured extends Load {
  stored: number;
}

const secret = 'bench-secret-'.padEnd(40, 'x');

export const section: BenchSection = {
  name: 'collector-postgres',
  title: 'Event collector on PostgreSQL',
  async check() {
    if (!postgresBinaries())
      throw new Error(
        "The collector-postgres section needs PostgreSQL's server: apt-get install postgresql (or leave the section out with --only).",
      );
  },
  async run({ siteBuild, options: { events } }) {
    const siteDir = await siteBuild();
    const limits = { REEKS_EVENTS_PER_MINUTE: '100000000', REEKS_SECRET: secret };

    async function onSqlite(processes: number): Promise<Measured> {
      const file = join(work, `collector-${processes}-${Date.now()}.db`);
      const servers: RunningServer[] = [];
      for (let i = 0; i < processes; i++)
        servers.push(await startServer(siteDir, { ...limits, REEKS_DB_PATH: file }));
      const measured = await loadAll(servers, events);
      for (const server of servers) await server.stop('SIGKILL');
      const db = new DatabaseSync(file, { readOnly: true });
      const stored = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
      db.close();
      return { ...measured, stored };
    }

    async function onPostgres(cluster: PrivateCluster, processes: number): Promise<Measured> {
      const name = `bench_${processes}_${Date.now()}`;
      const admin = openPostgres({ url: cluster.url, poolSize: 1, statementTimeoutMs: 60_000 });
      await admin.query(`CREATE DATABASE ${name}`);
      const url = withDatabase(cluster.url, name);
      try {
        const servers: RunningServer[] = [];
        for (let i = 0; i < processes; i++)
          servers.push(await startServer(siteDir, { ...limits, REEKS_DATABASE_URL: url }));
        const measured = await loadAll(servers, events);
        for (const server of servers) await server.stop('SIGKILL');
        const pool = openPostgres({ url, poolSize: 1, statementTimeoutMs: 60_000 });
        const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
        await pool.end();
        return { ...measured, stored: rows[0]!.n };
      } finally {
        await admin.end();
        await dropDatabase(cluster.url, name);
      }
    }

    const cluster = await startPrivateCluster({ durable: true });
    let runs;
    try {
      runs = [
        { name: 'SQLite, one process', result: await onSqlite(1) },
        { name: 'PostgreSQL, one process', result: await onPostgres(cluster, 1) },
        { name: 'SQLite, two processes', result: await onSqlite(2) },
        { name: 'PostgreSQL, two processes', result: await onPostgres(cluster, 2) },
      ];
    } finally {
      cluster.remove();
    }
    const rows = runs.map(({ name, result }, index) => {
      // Each PostgreSQL run against the SQLite run with as many processes, just before it.
      const share = name.startsWith('PostgreSQL')
        ? ` (${(result.perSecond / runs[index - 1]!.result.perSecond).toFixed(2)} of SQLite's)`
        : '';
      const lost = result.answered - result.stored;
      return `| ${name} | ${result.perSecond.toLocaleString('en')}${share} | ${result.p99} ms | ${result.answered.toLocaleString('en')} | ${result.other.toLocaleString('en')} | ${result.stored.toLocaleString('en')} (${lost <= 0 ? 'all acknowledged stored' : `${lost} LOST`}) |`;
    });
    return `${events.toLocaleString('en')} valid events from 50 connections (autocannon) against \`npm start\`, with the
events written by group commit: on a SQLite file (WAL, synchronous=FULL), and on PostgreSQL 15 on
this machine (a cluster of the benchmark's own, fsync on, over TCP on 127.0.0.1). With two processes,
two \`npm start\` on the same database take 25 connections each, at once. Each run ends with SIGKILL of the servers,
then the rows are counted. Targets: PostgreSQL at least 0.8 of SQLite's events per second (each
against SQLite with as many processes), and every acknowledged event stored.

| run | events per second | p99 | answered 2xx | other answers, errors | stored after SIGKILL |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
  },
};
