// PostgreSQL stopped for 10 s under a running server, on a cluster of the test's own: pages and
// search keep answering, the collector and the forms answer 503 and lose nothing they
// acknowledged, and writes resume by themselves once the database is back. And the mistakes an
// operator makes in the URL stop `npm start` with one line.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageView, sendEvent } from '../../e2e/fixtures/events.ts';
import { productionServers, runServerCommand } from '../../e2e/fixtures/server.ts';
import { openPostgresDatabase } from './test-databases.ts';
import { startPrivateCluster, type PrivateCluster } from './test-postgres-cluster.ts';
import { describeOnPostgres } from './test-postgres.ts';

const secret = 'postgres-faults-secret-'.padEnd(44, 'x');
const part2 = '/digitale-transformatie/kansen-voor-de-dienstverlening/';

describeOnPostgres('a server whose PostgreSQL goes away for a while', () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
  }, 60_000);
  afterAll(() => cluster?.remove());
  const { serve, tempDatabase, buildDir } = productionServers('pg-faults');

  it('keeps pages up, answers writes 503 while it is away, loses nothing acknowledged, and resumes without a restart', async () => {
    const server = await serve(tempDatabase(), {
      REEKS_DATABASE_URL: cluster.url,
      REEKS_SECRET: secret,
      REEKS_EVENTS_PER_MINUTE: '100000',
      REEKS_DATABASE_STATEMENT_TIMEOUT_MS: '2000',
    });
    let acknowledged = 0;
    const statuses = new Map<number, number>();
    const send = async () => {
      const status = (await sendEvent(server, pageView(2))).status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 201) acknowledged++;
      return status;
    };
    for (let i = 0; i < 20; i++) expect(await send()).toBe(201);

    cluster.stop();
    const away = Date.now();
    const during = { pages: new Set<number>(), search: new Set<number>(), events: new Set<number>() };
    let retryAfter: string | null = null;
    let health = 0;
    while (Date.now() - away < 10_000) {
      during.pages.add((await fetch(`${server.url}${part2}`)).status);
      during.search.add((await fetch(`${server.url}/pagefind/pagefind.js`)).status);
      const answer = await sendEvent(server, pageView(2));
      during.events.add(answer.status);
      if (answer.status === 503) retryAfter = answer.headers.get('retry-after');
      health = (await fetch(`${server.url}/healthz/db`)).status;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(during.pages).toEqual(new Set([200]));
    expect(during.search).toEqual(new Set([200]));
    expect(during.events).toEqual(new Set([503]));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(health).toBe(503);

    cluster.start();
    // Back: the pool opens new connections by itself.
    const back = Date.now();
    while ((await send()) !== 201) {
      if (Date.now() - back > 15_000) throw new Error('writes did not resume');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (let i = 0; i < 10; i++) expect(await send()).toBe(201);
    expect(server.output()).not.toMatch(/Unexpected error|at .*\.ts:\d+/);

    const database = await openPostgresDatabase(cluster.url, 1);
    try {
      const { n } = (await database.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!;
      expect(n).toBe(acknowledged);
    } finally {
      await database.close();
    }
  }, 120_000);

  it.each([
    [
      'a wrong password',
      (url: URL) => ((url.password = 'fout'), url),
      /refused the password|password authentication/,
    ],
    [
      'a port with nothing on it',
      (url: URL) => ((url.port = '9'), url),
      /^Cannot reach PostgreSQL at 127\.0\.0\.1:9: connection refused/,
    ],
    [
      'no such database',
      (url: URL) => ((url.pathname = '/bestaat_niet'), url),
      /has no database "bestaat_niet"/,
    ],
  ])(
    'stops npm start with one line for %s',
    async (_, change, line) => {
      const url = change(new URL(cluster.url)).href;
      const started = await runServerCommand('start.ts', [buildDir()], {
        REEKS_DATABASE_URL: url,
        REEKS_SECRET: secret,
        PORT: '0',
        REEKS_DB_PATH: tempDatabase(),
      });
      expect(started.code).toBe(1);
      const lines = started.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(line);
    },
    60_000,
  );
});
