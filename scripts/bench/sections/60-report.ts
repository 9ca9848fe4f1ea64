// The report (/stats/) at 20,000 and 150,000 made-up sources, while other requests are served:
// how long /stats/ takes and how large it is, and what a /robots.txt asked meanwhile waits.
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../../../e2e/fixtures/server.ts';
import { dayOf } from '../../../src/lib/period.ts';
import { site } from '../../../src/site.config.ts';
import { openDatabase } from '../../../src/server/db.ts';
import { work, type BenchSection } from '../shared.ts';

const sourceCounts = [20_000, 150_000];
/** Report requests per size, one after the other; the slowest counts. */
const reportRequests = 5;
const login = { STATS_USER: 'marketing', STATS_PASSWORD: 'een lang geheim voor de bench' };
const authorization = `Basic ${Buffer.from(`${login.STATS_USER}:${login.STATS_PASSWORD}`).toString('base64')}`;
const part = '/digitale-transformatie/de-impact-op-het-informatiebeleid/';

/**
 * A database with one page view from each of `sources` sources, today. Written directly: the
 * collector stores no more than tracking.newSourcesPerDay new sources a day, and a report must
 * stay fast on what a database from before that cap, or a long period, may hold.
 */
function databaseWith(sources: number): string {
  const path = join(work, `report-${sources}.db`);
  const db = openDatabase(path);
  db.exec('DELETE FROM events');
  const insert = db.prepare(
    `INSERT INTO events (day, type, path, author, series, part, source, campaign)
     VALUES (?, 'pageview', ?, 'job-coenen', 'digitale-transformatie', 1, ?, ?)`,
  );
  const today = dayOf(new Date(), site.timeZone);
  db.exec('BEGIN');
  for (let i = 0; i < sources; i++) insert.run(today, part, `bron-${i}`, `campagne-${i}`);
  db.exec('COMMIT');
  db.close();
  return path;
}

/** /robots.txt from 10 connections for as long as `during` runs: its latency, in ms. */
async function otherRequestsDuring(url: string, during: () => Promise<void>) {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ url: `${url}/robots.txt`, connections: 10, duration: 600 }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
  try {
    await during();
  } finally {
    instance!.stop();
  }
  const result = await finished;
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    answered: result['2xx'],
  };
}

export const section: BenchSection = {
  name: 'report',
  title: 'Report',
  async run({ siteBuild }) {
    const siteDir = await siteBuild();
    const rows: string[] = [];
    for (const sources of sourceCounts) {
      const server = await startServer(siteDir, { REEKS_DB_PATH: databaseWith(sources), ...login });
      try {
        const quiet = await otherRequestsDuring(
          server.url,
          () => new Promise((done) => setTimeout(done, 2000)),
        );
        const times: number[] = [];
        let bytes = 0;
        const busy = await otherRequestsDuring(server.url, async () => {
          for (let i = 0; i < reportRequests; i++) {
            const started = performance.now();
            const response = await fetch(`${server.url}/stats/`, {
              headers: { Authorization: authorization },
            });
            bytes = (await response.arrayBuffer()).byteLength;
            if (response.status !== 200) throw new Error(`/stats/ answered ${response.status}`);
            times.push(performance.now() - started);
          }
        });
        const slowest = Math.max(...times);
        rows.push(
          `| ${sources.toLocaleString('en')} | ${Math.min(...times).toFixed(0)} ms / ${slowest.toFixed(0)} ms | ${(bytes / 1024).toFixed(0)} KB | ${quiet.p50} ms / ${quiet.p99} ms | ${busy.p50} ms / ${busy.p99} ms / ${busy.max} ms (${busy.answered.toLocaleString('en')} answered) | under 1 s (${slowest < 1000 ? 'yes' : 'NO'}) |`,
        );
      } finally {
        await server.stop();
      }
    }
    return `Made-up sources, one page view each, with as many campaigns, in the database of \`npm start\`
on the real content (written directly: the collector would store the ones beyond the day's cap of
new sources as "overige"). /stats/ is asked ${reportRequests} times in a row while 10 connections ask
/robots.txt; the report's queries run on a worker thread, so what /robots.txt waits meanwhile is
what the report costs everyone else. "Alone" is /robots.txt for 2 s before.

| sources | /stats/ fastest / slowest | /stats/ size | /robots.txt alone p50 / p99 | /robots.txt meanwhile p50 / p99 / max | target |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
  },
};
