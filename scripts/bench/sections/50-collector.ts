// The event collector under load on loopback: 50 connections of valid events from one client,
// then from one client again with every other request a page view's reading depth, then from a
// crowd of more clients than the rate limiter tracks, then the stored rows compared with the 2xx
// answers.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import autocannon from 'autocannon';
import { startServer } from '../../../e2e/fixtures/server.ts';
import { readSiteManifest } from '../../../src/server/build-folder.ts';
import { defaultMaxClients } from '../../../src/server/rate-limit.ts';
import { work, type BenchSection } from '../shared.ts';

interface Load {
  answered: number;
  other: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * A fixed number of valid events rather than a duration, so that every request sent is answered
 * before the rows are counted; `client` names the address each request comes from.
 */
async function load(
  url: string,
  amount: number,
  client: () => string,
  /** A body instead of the page view, for some requests: the reading depth of a view. */
  otherBody?: () => string | undefined,
): Promise<Load> {
  const started = performance.now();
  const result = await autocannon({
    url: `${url}/api/events/`,
    method: 'POST',
    connections: 50,
    amount,
    // A view of part 2 from a campaign link, read on from part 1: every field the collector cleans.
    headers: {
      'content-type': 'application/json',
      origin: url,
      referer: `${url}/digitale-transformatie/kansen-voor-de-dienstverlening/?utm_source=linkedin&utm_campaign=najaar`,
    },
    body: JSON.stringify({
      type: 'pageview',
      path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
      author: 'job-coenen',
      series: 'digitale-transformatie',
      part: 2,
      referrer: `${url}/digitale-transformatie/de-impact-op-het-informatiebeleid/`,
    }),
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, 'x-forwarded-for': client() },
          body: otherBody?.() ?? request.body,
        }),
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    answered: result['2xx'],
    other: result.non2xx + result.errors + result.timeouts,
    perSecond: Math.round(result['2xx'] / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export const section: BenchSection = {
  name: 'collector',
  title: 'Event collector',
  async run({ siteBuild, options: { events } }) {
    const siteDir = await siteBuild();
    const database = join(work, 'events.db');
    // Behind a proxy on this machine, so that each request can be a client of its own.
    const server = await startServer(siteDir, {
      REEKS_DB_PATH: database,
      REEKS_EVENTS_PER_MINUTE: '100000000',
      REEKS_TRUSTED_PROXIES: '127.0.0.1',
    });
    const one = await load(server.url, events, () => '198.51.100.1');
    // Every other request the depth of a view of its own (a new id: a row each), as a reader sends
    // it on leaving the part; the rest page views as above. The first run also warms the server
    // up; later ones are faster, and not slowed by the rows before them (five more runs of page
    // views, up to 300,000 rows, each did 8,316 events/s on 2026-12-08).
    const path = '/digitale-transformatie/kansen-voor-de-dienstverlening/';
    const sections = readSiteManifest(siteDir).pages.find((page) => page.path === path)!.sections!;
    let sent = 0;
    const mixed = await load(
      server.url,
      events,
      () => '198.51.100.2',
      () => {
        sent++;
        if (sent % 2 === 1) return undefined;
        return JSON.stringify({
          type: 'depth',
          path,
          author: 'job-coenen',
          series: 'digitale-transformatie',
          part: 2,
          view: `00000000-0000-4000-8000-${sent.toString(16).padStart(12, '0')}`,
          reached: 2,
          section: sections[1]!.id,
          end: false,
          engaged: 14,
        });
      },
    );
    // Twice as many clients as the limiter tracks: from the 50,001st on, each new one evicts.
    const clients = 2 * defaultMaxClients;
    let client = 0;
    const crowd = await load(server.url, clients, () => {
      client++;
      return `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`;
    });
    await server.stop('SIGKILL');
    const db = new DatabaseSync(database);
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const depthRows = count('reading_depth');
    const stored = count('events') + depthRows;
    db.close();
    const answered = one.answered + crowd.answered + mixed.answered;
    const both = (figure: (run: Load) => string) => `${figure(one)} | ${figure(crowd)} | ${figure(mixed)}`;
    const eventRows = [
      `| answered 2xx | ${both((run) => run.answered.toLocaleString('en'))} | |`,
      `| other answers, errors, timeouts | ${both((run) => run.other.toLocaleString('en'))} | 0 |`,
      `| events per second | ${both((run) => run.perSecond.toLocaleString('en'))} | at least 5,000 |`,
      `| latency p50 / p99 | ${both((run) => `${run.p50} ms / ${run.p99} ms`)} | |`,
    ];

    return `${events.toLocaleString('en')} valid events from 50 connections (autocannon) against \`npm start\` with a
real SQLite file (WAL, synchronous=FULL), from one client; then ${events.toLocaleString('en')} from one client again, every
other one the reading depth of a page view of its own (${depthRows.toLocaleString('en')} rows in \`reading_depth\`), written in
the same batches as the events; then ${clients.toLocaleString('en')} events, each from a client of its own
(X-Forwarded-For from a trusted proxy on this machine), twice the ${defaultMaxClients.toLocaleString('en')} clients the
rate limiter tracks, so that it evicts. The server is then killed with SIGKILL and the rows
(events and depth records) counted: ${stored.toLocaleString('en')} stored for ${answered.toLocaleString('en')} answered 2xx (${stored === answered ? 'equal' : 'NOT EQUAL'}).

| measure | one client | ${clients.toLocaleString('en')} clients | one client, half of them depth | target |
| --- | --- | --- | --- | --- |
${eventRows.join('\n')}
`;
  },
};
