// The push hook end to end (src/server/publish-hook.ts, publish-queue.ts, scripts/publish.ts): a
// local bare repository stands for GitHub, a clone of it is the site's checkout (CONTENT_DIR),
// and `npm start -- current` serves it with two workers and the hook's secret. An editor's clone
// commits and pushes; the test sends the payload GitHub would, signed or not, and looks at what
// readers get, at the checkout and at publish_runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { oneBuildAtATime, runPublish } from '../../e2e/fixtures/build.ts';
import { fixtureContent, writeTestSeriesPart } from '../../e2e/fixtures/content-tree.ts';
import { startServer, type RunningServer } from '../../e2e/fixtures/server.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import { buildCacheDir } from '../site.config.ts';
import { hookSignature } from './publish-hook.ts';

const secret = 'het-geheim-van-de-webhook-0123456789';
const reportLogin = { user: 'marketing', password: 'wachtwoord-van-het-rapport' };
const newPart = '/testreeks/derde-deel/';

let editor = '';
let origin = '';
let checkout = '';
let dir = '';
let dbPath = '';
let server: RunningServer;
let sink: SmtpSink;
const running: RunningServer[] = [];

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Redactie',
  GIT_AUTHOR_EMAIL: 'redactie@example.nl',
  GIT_COMMITTER_NAME: 'Redactie',
  GIT_COMMITTER_EMAIL: 'redactie@example.nl',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

/** The editor saves: a commit on main, pushed to origin (as the browser editor commits on GitHub). */
function commitAndPush(message: string, branch = 'main') {
  git(editor, 'add', '-A');
  git(editor, 'commit', '-q', '-m', message);
  git(editor, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
  return git(editor, 'rev-parse', 'HEAD');
}

const currentRelease = () => readlinkSync(join(dir, 'current')).replace(/^releases\//, '');

/** The runs in publish_runs, oldest first. */
function runs() {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db
      .prepare(
        'SELECT started_by, requests, result, commit_sha, commit_subject, release, error_lines FROM publish_runs ORDER BY id',
      )
      .all() as {
      started_by: string;
      requests: number;
      result: string;
      commit_sha: string | null;
      commit_subject: string | null;
      release: string | null;
      error_lines: string | null;
    }[];
  } finally {
    db.close();
  }
}

async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 180_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${server.output().slice(-4000)}`);
    await new Promise((resolveLater) => setTimeout(resolveLater, 100));
  }
}

/** What GitHub sends for a push (or another event), signed with `key` unless it is null. */
function sendHook(
  payload: object,
  { event = 'push', key = secret as string | null, url = server.url } = {},
): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${url}/api/publish-hook/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': crypto.randomUUID(),
      ...(key !== null && { 'X-Hub-Signature-256': hookSignature(key, body) }),
    },
    body,
  });
}

const pushPayload = (after: string, ref = 'refs/heads/main') => ({
  ref,
  before: '0'.repeat(40),
  after,
  repository: { full_name: 'gemeente/reeks' },
  head_commit: { id: after, message: 'Opgeslagen in de editor' },
});

const status = async (path: string) => (await fetch(`${server.url}${path}`)).status;

beforeAll(async () => {
  // The editor's clone (made from the fixture content), GitHub as a bare repository, and the
  // site's checkout cloned from it.
  editor = fixtureContent();
  git(editor, 'init', '-q', '-b', 'main');
  git(editor, 'add', '-A');
  git(editor, 'commit', '-q', '-m', 'Begin');
  const remotes = mkdtempSync(join(resolve(editor, '..'), 'reeks-hook-'));
  origin = join(remotes, 'origin.git');
  checkout = join(remotes, 'checkout');
  git(remotes, 'clone', '-q', '--bare', editor, origin);
  git(editor, 'remote', 'add', 'origin', origin);
  git(remotes, 'clone', '-q', origin, checkout);

  // Inside the project: the built server finds its packages in node_modules.
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  dir = resolve(mkdtempSync(join('node_modules', '.cache', 'reeks-hook-')));
  dbPath = join(dir, 'data', 'site.db');
  const first = runPublish(dir, checkout, []);
  if (first.status !== 0) throw new Error(`publish failed:\n${first.stdout}${first.stderr}`);
  sink = await startSmtpSink();
  server = await startServer(join(dir, 'current'), {
    CONTENT_DIR: checkout,
    REEKS_DB_PATH: dbPath,
    REEKS_WORKERS: '2',
    REEKS_PUBLISH_HOOK_SECRET: secret,
    REEKS_OPERATOR_EMAIL: 'beheer@example.nl',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
    STATS_USER: reportLogin.user,
    STATS_PASSWORD: reportLogin.password,
  });
  running.push(server);
}, 240_000);

afterAll(async () => {
  await Promise.all(running.map((each) => each.stop()));
  await sink?.close();
  for (const folder of [editor, origin && resolve(origin, '..'), dir, checkout && buildCacheDir(checkout)])
    if (folder) rmSync(folder, { recursive: true, force: true });
});

it('is not there without the secret, and npm start says how to turn it on', async () => {
  const plain = await startServer(join(dir, 'current'), {
    CONTENT_DIR: checkout,
    REEKS_DB_PATH: join(dir, 'other', 'site.db'),
  });
  running.push(plain);
  const response = await sendHook(pushPayload('a'.repeat(40)), { url: plain.url });
  expect(response.status).toBe(404);
  expect(plain.output()).toMatch(/^Publish hook: off .*REEKS_PUBLISH_HOOK_SECRET/m);
  expect(server.output()).toMatch(/^Publish hook: on at \/api\/publish-hook\/ for pushes to main/m);
  await plain.stop();
});

it('refuses an unsigned or wrongly signed push with 401 and fetches nothing; ignores another branch', async () => {
  const fetchedBefore = git(checkout, 'rev-parse', 'origin/main');
  const headBefore = git(checkout, 'rev-parse', 'HEAD');
  writeTestSeriesPart(editor, { name: 'derde-deel', title: 'Derde deel', part: 3, date: '2021-03-10' });
  const sha = commitAndPush('Derde deel toegevoegd');

  for (const key of [null, 'een ander geheim dan dat van de site']) {
    const response = await sendHook(pushPayload(sha), { key });
    expect(response.status).toBe(401);
  }
  const ping = await sendHook({ zen: 'Design for failure.', hook_id: 1 }, { event: 'ping' });
  expect(ping.status).toBe(200);
  const other = await sendHook(pushPayload(sha, 'refs/heads/concept'));
  expect(other.status).toBe(202);
  expect(await other.text()).toMatch(/^Ignored/);
  const malformed = await sendHook({ ref: 42 });
  expect(malformed.status).toBe(400);

  // A publish would have fetched first (and the primary would say so at once).
  await new Promise((resolveLater) => setTimeout(resolveLater, 1_500));
  expect(git(checkout, 'rev-parse', 'origin/main')).toBe(fetchedBefore);
  expect(git(checkout, 'rev-parse', 'HEAD')).toBe(headBefore);
  expect(runs()).toEqual([]);
  expect(server.output()).not.toMatch(/Publish hook: publishing/);
  expect(await status(newPart)).toBe(404);
});

it('publishes a signed push: the new part is served', async () => {
  const sha = git(editor, 'rev-parse', 'HEAD');
  const before = currentRelease();
  const { seconds } = await oneBuildAtATime(async () => {
    const response = await sendHook(pushPayload(sha));
    const answered = Date.now();
    expect(response.status).toBe(202);
    await until('the new part', async () => (await status(newPart)) === 200);
    const seconds = (Date.now() - answered) / 1000;
    await until('the run recorded', () => runs()[0]?.result !== 'running' && runs()[0]);
    return { seconds };
  });
  console.log(`Push hook: ${seconds.toFixed(1)} s from the hook's 202 to the first 200 of the new part.`);
  expect(git(checkout, 'rev-parse', 'HEAD')).toBe(sha);
  expect(currentRelease()).not.toBe(before);
  expect(runs()).toEqual([
    {
      started_by: 'hook',
      requests: 1,
      result: 'published',
      commit_sha: sha,
      commit_subject: 'Derde deel toegevoegd',
      release: currentRelease(),
      error_lines: null,
    },
  ]);
  expect(await (await fetch(`${server.url}${newPart}`)).text()).toContain('Tekst van Derde deel.');
}, 240_000);

it('folds 10 pushes in 2 s into at most 2 publishes', async () => {
  const before = runs().length;
  // Ten saves, each a commit; git pushes them in one go (a push to a local bare repository takes
  // a few hundred ms on a busy machine), and GitHub's ten deliveries reach the hook within 2 s.
  const commits: string[] = [];
  for (let version = 1; version <= 10; version++) {
    writeTestSeriesPart(editor, {
      name: 'derde-deel',
      title: 'Derde deel',
      part: 3,
      date: '2021-03-10',
      body: `Tekst van Derde deel, versie ${version}.`,
    });
    git(editor, 'commit', '-q', '-a', '-m', `Derde deel, versie ${version}`);
    commits.push(git(editor, 'rev-parse', 'HEAD'));
  }
  git(editor, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  const last = commits.at(-1)!;
  await oneBuildAtATime(async () => {
    const began = Date.now();
    for (const [n, sha] of commits.entries()) {
      expect((await sendHook(pushPayload(sha))).status).toBe(202);
      await new Promise((resolveLater) =>
        setTimeout(resolveLater, Math.max(0, began + (n + 1) * 180 - Date.now())),
      );
    }
    expect(Date.now() - began).toBeLessThan(2_000);
    await until('the last version served', async () =>
      (await (await fetch(`${server.url}${newPart}`)).text()).includes('versie 10.'),
    );
    await until('every run ended', () => runs().every((run) => run.result !== 'running'));
    // No further publish comes after.
    await new Promise((resolveLater) => setTimeout(resolveLater, 2_000));
  });
  const added = runs().slice(before);
  expect(added.length).toBeGreaterThanOrEqual(1);
  expect(added.length).toBeLessThanOrEqual(2);
  expect(added.reduce((sum, run) => sum + run.requests, 0)).toBe(10);
  expect(added.every((run) => run.result === 'published' && run.started_by === 'hook')).toBe(true);
  expect(added.at(-1)!.commit_sha).toBe(last);
}, 300_000);

it('keeps the last release when a push breaks the content, and shows the error lines in Publicaties', async () => {
  const before = currentRelease();
  const count = runs().length;
  writeFileSync(
    join(editor, 'posts', 'testreeks', 'vierde-deel.mdx'),
    [
      '---',
      'description: Zonder titel.',
      'date: 2021-04-10',
      'author: anna-de-vries',
      'series: testreeks',
      'part: 4',
      '---',
      '',
      'Tekst.',
      '',
    ].join('\n'),
  );
  const sha = commitAndPush('Vierde deel, nog zonder titel');
  // A publish that a crash stopped half way left its row 'running'.
  const db = new DatabaseSync(dbPath);
  db.prepare(
    "INSERT INTO publish_runs (started_by, requests, started_at, result) VALUES ('timer', 1, '2026-12-01T00:05:00.000Z', 'running')",
  ).run();
  db.close();
  await oneBuildAtATime(async () => {
    expect((await sendHook(pushPayload(sha))).status).toBe(202);
    await until('the failed run', () => runs()[count + 1]?.result === 'failed');
  });
  const failed = runs()[count + 1]!;
  expect(runs()[count]).toMatchObject({ started_by: 'timer', result: 'interrupted' });
  expect(failed).toMatchObject({ started_by: 'hook', commit_sha: sha, release: null });
  expect(failed.error_lines).toMatch(/^De inhoud bevat \d+ fout/);
  expect(failed.error_lines).toMatch(/vierde-deel\.mdx:\d+ {2}title/);
  expect(currentRelease()).toBe(before);
  expect(server.output()).toMatch(/Build failed: nothing published/);
  expect(await status(newPart)).toBe(200);
  expect(await status('/testreeks/vierde-deel/')).toBe(404);
  // The operator is mailed the same lines, once.
  const [mail] = await sink.waitFor(1, 20_000);
  expect(mail!.envelopeTo).toEqual(['beheer@example.nl']);
  expect(mail!.subject).toMatch(/mislukt/);
  expect(mail!.text).toMatch(/vierde-deel\.mdx:\d+ {2}title/);
  expect(sink.mails).toHaveLength(1);
  // The report's Publicaties show it, and a monitor reading its JSON sees it failed.
  const login = { Authorization: `Basic ${btoa(`${reportLogin.user}:${reportLogin.password}`)}` };
  const page = await (await fetch(`${server.url}/stats/publicaties/`, { headers: login })).text();
  expect(page).toContain('mislukt');
  expect(page).toMatch(/vierde-deel\.mdx:\d+ {2}title/);
  const json = await (await fetch(`${server.url}/stats/publicaties.json`, { headers: login })).json();
  expect(json).toMatchObject({ ok: false, status: 'failed', lastFinished: { startedBy: 'hook' } });
}, 240_000);
