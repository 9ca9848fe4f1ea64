// The event collector under load on loopback: 50 connections of valid events, then the stored
// rows compared with the 2xx answers.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import autocannon from 'autocannon';
import { startServer } from '../../../e2e/fixtures/server.ts';
import { work, type BenchSection } from '../shared.ts';

export const section: BenchSection = {
  name: 'collector',
  title: 'Event collector',
  async run({ siteBuild, options: { events } }) {
    const siteDir = await siteBuild();
    const database = join(work, 'events.db');
    const server = await startServer(siteDir, {
      REEKS_DB_PATH: database,
      REEKS_EVENTS_PER_MINUTE: '100000000',
    });
    // A fixed number of requests rather than a duration, so that every request sent is answered
    // before the count: the rows stored must equal the 2xx answers.
    const loadStarted = performance.now();
    const load = await autocannon({
      url: `${server.url}/api/events/`,
      method: 'POST',
      connections: 50,
      amount: events,
      // A view of part 2 from a campaign link, read on from part 1: every field the collector cleans.
      headers: {
        'content-type': 'application/json',
        origin: server.url,
        referer: `${server.url}/digitale-transformatie/kansen-voor-de-dienstverlening/?utm_source=linkedin&utm_campaign=najaar`,
      },
      body: JSON.stringify({
        type: 'pageview',
        path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
        author: 'job-coenen',
        series: 'digitale-transformatie',
        part: 2,
        referrer: `${server.url}/digitale-transformatie/de-impact-op-het-informatiebeleid/`,
      }),
    });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await server.stop('SIGKILL');
    const stored = (
      new DatabaseSync(database).prepare('SELECT count(*) AS n FROM events').get() as { n: number }
    ).n;
    const eventRows = [
      `| answered 2xx | ${load['2xx'].toLocaleString('en')} | |`,
      `| rows stored | ${stored.toLocaleString('en')} | equal to the 2xx answers (${stored === load['2xx'] ? 'yes' : 'NO'}) |`,
      `| other answers, errors, timeouts | ${(load.non2xx + load.errors + load.timeouts).toLocaleString('en')} | 0 |`,
      `| events per second | ${Math.round(load['2xx'] / loadSeconds).toLocaleString('en')} | at least 5,000 |`,
      `| latency p50 / p99 | ${load.latency.p50} ms / ${load.latency.p99} ms | |`,
    ];

    return `${events.toLocaleString('en')} valid events from 50 connections (autocannon) against \`npm start\` with a
real SQLite file (WAL, synchronous=FULL); the server is then killed with SIGKILL and the rows
counted.

| measure | value | target |
| --- | --- | --- |
${eventRows.join('\n')}
`;
  },
};
