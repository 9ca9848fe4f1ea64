// A publish that refuses no reader (src/server/workers.ts): `npm start -- current` keeps serving
// while `npm run publish` builds a release with one more part and switches `current`; its workers
// are replaced one at a time, and every request sent meanwhile (pages, and events to the
// collector) is answered as it would be on any other day. With two workers, both serve and the
// host's work (recording the release) runs once per release; a bad release and a worker that dies
// leave the site serving.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { oneBuildAtATime, publishInBackground, runPublish } from '../../e2e/fixtures/build.ts';
import { fixtureContent, writeTestSeriesPart } from '../../e2e/fixtures/content-tree.ts';
import { startServer, type RunningServer } from '../../e2e/fixtures/server.ts';
import { buildCacheDir } from '../site.config.ts';

const part1 = '/testreeks/eerste-deel/';
const newPart = '/testreeks/derde-deel/';
const event = { type: 'pageview', path: part1, author: 'anna-de-vries', series: 'testreeks', part: 1 };

let contentDir = '';
let dir = '';
/** The releases' folder names under releases/: the first publish, and the one with part 3. */
const releases: string[] = [];
const running: RunningServer[] = [];

const currentRelease = () => readlinkSync(join(dir, 'current')).replace(/^releases\//, '');

beforeAll(() => {
  contentDir = fixtureContent();
  // Inside the project: the built server finds its packages in node_modules.
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  dir = resolve(mkdtempSync(join('node_modules', '.cache', 'reeks-rolling-')));
  const first = runPublish(dir, contentDir, []);
  if (first.status !== 0) throw new Error(`publish failed:\n${first.stdout}${first.stderr}`);
  releases.push(currentRelease());
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  for (const folder of [contentDir, dir, contentDir && buildCacheDir(contentDir)])
    if (folder) rmSync(folder, { recursive: true, force: true });
});

async function serve(env: Record<string, string>) {
  const server = await startServer(join(dir, 'current'), {
    REEKS_DB_PATH: join(mkdtempSync(join(dir, 'db-')), 'site.db'),
    ...env,
  });
  running.push(server);
  return server;
}

/** Until `done` holds of the server's output (its log), or a failure after `timeoutMs`. */
async function until(
  server: RunningServer,
  what: string,
  done: (output: string) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!done(server.output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${server.output()}`);
    await new Promise((resolveLater) => setTimeout(resolveLater, 50));
  }
}

/** Until `line` is in the server's log. */
const logged = (server: RunningServer, line: RegExp, timeoutMs?: number) =>
  until(server, String(line), (output) => line.test(output), timeoutMs);

interface Load {
  /** Ends the loop; what was sent and what went wrong: refused, reset, or an answer not expected. */
  stop(): Promise<{
    sent: number;
    failures: string[];
    statuses: Record<number, number>;
    slowestMs: number;
  }>;
}

/**
 * Readers, `lanes` at a time, each with its own keep-alive connection as a browser has: pages,
 * the part that may not be there yet, and events to the collector. `eventStatuses`: the answers an
 * event may get (201, and 429 where the test sets a low limit). `newReaders`: each request on a
 * connection of its own, so that the primary is always handing one to a worker. A request not
 * answered in 20 s is a failure: a reader left waiting.
 */
function keepRequesting(url: string, { lanes = 8, eventStatuses = [201], newReaders = false } = {}): Load {
  const requests: { method: string; path: string; expected: number[] }[] = [
    { method: 'GET', path: '/', expected: [200] },
    { method: 'GET', path: '/testreeks/', expected: [200] },
    { method: 'POST', path: '/api/events/', expected: eventStatuses },
    { method: 'GET', path: part1, expected: [200] },
    // Not there before the switch, there after it.
    { method: 'GET', path: newPart, expected: [200, 404] },
    { method: 'POST', path: '/api/events/', expected: eventStatuses },
  ];
  let going = true;
  let sent = 0;
  let slowest = 0;
  const failures: string[] = [];
  const statuses: Record<number, number> = {};
  const lane = async (offset: number) => {
    for (let n = offset; going; n++) {
      const { method, path, expected } = requests[n % requests.length]!;
      sent++;
      const began = Date.now();
      try {
        const response = await fetch(`${url}${path}`, {
          method,
          signal: AbortSignal.timeout(20_000),
          headers: {
            ...(newReaders && { Connection: 'close' }),
            ...(method === 'POST' && { 'Content-Type': 'application/json' }),
          },
          ...(method === 'POST' && { body: JSON.stringify(event) }),
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (!expected.includes(response.status)) failures.push(`${method} ${path}: ${response.status}`);
      } catch (error) {
        const { name, cause } = error as { name?: string; cause?: { code?: string; message?: string } };
        failures.push(
          `${method} ${path}: ${name === 'TimeoutError' ? 'no answer' : (cause?.code ?? cause?.message ?? String(error))} after ${Date.now() - began} ms`,
        );
      }
      slowest = Math.max(slowest, Date.now() - began);
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, (_, offset) => lane(offset)));
  return {
    async stop() {
      going = false;
      await done;
      return { sent, failures, statuses, slowestMs: slowest };
    },
  };
}

/** `current` pointed at releases/<name> in one step, as the publish does it. */
function pointCurrentAt(name: string) {
  const link = join(dir, 'current.test');
  symlinkSync(join('releases', name), link);
  renameSync(link, join(dir, 'current'));
}

/** An event on a connection of its own: the primary hands each new connection to the next worker. */
const eventOnNewConnection = (url: string) =>
  new Promise<number>((resolveStatus, reject) => {
    const body = JSON.stringify(event);
    const sending = request(
      `${url}/api/events/`,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolveStatus(response.statusCode!));
      },
    );
    sending.on('error', reject);
    sending.end(body);
  });

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

it('serves every request while `npm run publish` builds and switches to a release with a new part', async () => {
  const server = await serve({ REEKS_EVENTS_PER_MINUTE: '1000000' });
  expect((await fetch(`${server.url}${newPart}`)).status).toBe(404);
  writeTestSeriesPart(contentDir, { name: 'derde-deel', title: 'Derde deel', part: 3, date: '2021-02-11' });

  const { published, outcome, switchSeconds } = await oneBuildAtATime(async () => {
    const load = keepRequesting(server.url);
    const published = await publishInBackground(dir, contentDir);
    const began = Date.now();
    await logged(server, new RegExp(`^Switched to release ${currentRelease()} in `, 'm'));
    await logged(
      server,
      new RegExp(`^Worker \\d+ \\(release ${releases[0]}\\) finished its requests and left\\.$`, 'm'),
    );
    const switchSeconds = (Date.now() - began) / 1000;
    // A little more load on the new release alone.
    await new Promise((resolveLater) => setTimeout(resolveLater, 500));
    return { published, outcome: await load.stop(), switchSeconds };
  });
  expect(published.status, published.output).toBe(0);
  releases.push(currentRelease());
  console.log(
    `1 worker, npm run publish: ${outcome.sent} requests, ${outcome.failures.length} failed; answers ${JSON.stringify(outcome.statuses)}, the slowest in ${outcome.slowestMs} ms; ` +
      `switched ${switchSeconds.toFixed(1)} s after the publish ended (${/in ([\d.]+) s:/.exec(server.output())![1]} s from the new worker's start to the old one asked to stop).`,
  );
  expect(outcome.failures).toEqual([]);
  expect(outcome.sent).toBeGreaterThan(100);

  // The same port serves the new part now, on the same process.
  const page = await fetch(`${server.url}${newPart}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Derde deel');
  expect(server.process.exitCode).toBeNull();
  const output = server.output();
  expect(output).toMatch(new RegExp(`^Serving release ${releases[1]} in worker \\d+\\.$`, 'm'));
  // Recorded once per release: the first without mail, the second with its new part.
  expect(output.match(/^Publications: .*$/gm)).toEqual([
    `Publications: 2 part(s) of release ${releases[0]} recorded, no mail for those.`,
    `Publications: release ${releases[1]} holds 1 new part(s).`,
  ]);
  expect(output).not.toMatch(/Could not|Unexpected error|stopped unexpectedly|not served/);

  // SIGTERM: every worker leaves after its requests, and npm start ends with 0.
  await server.stop();
  expect(server.process.exitCode).toBe(0);
  expect(count(server.output(), /finished its requests and left\./g)).toBe(2);
}, 180_000);

it('with two workers: both serve, the release is recorded once, and SIGHUP switches at once', async () => {
  expect(releases).toHaveLength(2);
  // The collector's limit counts per worker: 20 a minute from this client, in each.
  const server = await serve({ REEKS_WORKERS: '2', REEKS_EVENTS_PER_MINUTE: '20' });
  await logged(server, /^Serving on /m);
  await logged(server, /^Publications: /m);
  const pids = [...server.output().matchAll(/^Serving release \S+ in worker (\d+)\.$/gm)].map((m) => m[1]);
  expect(new Set(pids).size).toBe(2);
  // 60 events, each on a new connection: two workers took 20 each, so both served.
  const answers: number[] = [];
  for (let i = 0; i < 60; i++) answers.push(await eventOnNewConnection(server.url));
  expect(answers.filter((status) => status === 201)).toHaveLength(40);
  expect(answers.filter((status) => status === 429)).toHaveLength(20);

  // Back to the first release by hand, and SIGHUP: the switch starts at once.
  const load = keepRequesting(server.url, { eventStatuses: [201, 429] });
  await new Promise((resolveLater) => setTimeout(resolveLater, 300));
  pointCurrentAt(releases[0]!);
  const began = Date.now();
  server.process.kill('SIGHUP');
  await logged(server, new RegExp(`^Switched to release ${releases[0]} in `, 'm'), 20_000);
  const switchSeconds = (Date.now() - began) / 1000;
  await until(
    server,
    'both old workers to leave',
    (output) => count(output, /finished its requests and left\./g) === 2,
  );
  const outcome = await load.stop();
  console.log(
    `2 workers, SIGHUP: ${outcome.sent} requests, ${outcome.failures.length} failed; answers ${JSON.stringify(outcome.statuses)}, the slowest in ${outcome.slowestMs} ms; switched in ${switchSeconds.toFixed(1)} s. ${outcome.failures.join('; ')}`,
  );
  expect(outcome.failures).toEqual([]);
  expect((await fetch(`${server.url}${newPart}`)).status).toBe(404);

  // The host's work ran in one worker: each release recorded once, not once per worker.
  await logged(server, new RegExp(`^Publications: release ${releases[0]} `, 'm'));
  expect(server.output().match(/^Publications: .*$/gm)).toEqual([
    `Publications: 3 part(s) of release ${releases[1]} recorded, no mail for those.`,
    `Publications: release ${releases[0]} holds 0 new part(s).`,
  ]);
  expect(count(server.output(), new RegExp(`^Serving release ${releases[0]} in worker \\d+\\.$`, 'gm'))).toBe(
    2,
  );
}, 120_000);

it('keeps serving through a release that cannot start and a worker that dies', async () => {
  const server = await serve({ REEKS_WORKERS: '2', REEKS_EVENTS_PER_MINUTE: '1000000' });
  await logged(server, /^Serving on /m);
  const served = currentRelease();
  // A release whose server code throws as it loads.
  const broken = `${served}-broken`;
  cpSync(join(dir, 'releases', served), join(dir, 'releases', broken), { recursive: true });
  writeFileSync(join(dir, 'releases', broken, 'server', 'entry.mjs'), "throw new Error('a broken build');\n");
  const load = keepRequesting(server.url);
  const arriving = keepRequesting(server.url, { newReaders: true });
  pointCurrentAt(broken);
  await logged(
    server,
    new RegExp(
      `^Release ${broken} not served: a broken build\\. The workers on release ${served} go on serving; .* is tried again when it changes, or on SIGHUP\\.$`,
      'm',
    ),
  );
  // Not tried again while `current` stays: the poll runs every 1.5 s.
  await new Promise((resolveLater) => setTimeout(resolveLater, 3_500));
  expect(count(server.output(), /not served/g)).toBe(1);
  pointCurrentAt(served);

  // A worker killed: another takes its place, after a pause.
  const pid = Number(/^Serving release \S+ in worker (\d+)\.$/m.exec(server.output())![1]);
  process.kill(pid, 'SIGKILL');
  await logged(
    server,
    new RegExp(
      `^Worker ${pid} \\(release ${served}\\) stopped unexpectedly \\(SIGKILL\\): starting another in 1 s\\.$`,
      'm',
    ),
  );
  await until(
    server,
    'the worker in its place',
    (output) => count(output, /^Serving release \S+ in worker \d+\.$/gm) === 3,
  );
  const outcome = await load.stop();
  const newcomers = await arriving.stop();
  // The requests the killed worker was answering at that moment were lost with it, as were the
  // connections being handed to it, which end at once (no reader is left waiting); the rest, and
  // every request after, were answered.
  for (const { failures } of [outcome, newcomers]) {
    const lost = failures.filter((failure) => !/ECONNRESET|other side closed|UND_ERR_SOCKET/.test(failure));
    expect(lost).toEqual([]);
    expect(failures.length).toBeLessThanOrEqual(8);
  }
  expect(newcomers.sent).toBeGreaterThan(100);
  expect((await fetch(`${server.url}${part1}`)).status).toBe(200);
  expect(server.process.exitCode).toBeNull();
}, 120_000);
