// `npm start`: checks the environment, the build and the database once, says what is on, then
// serves the build with REEKS_WORKERS worker processes (src/server/workers.ts: this process is
// their cluster primary and keeps the listening socket; each worker is src/server/serve.ts).
// Served through a link such as `current`, a new release the link points to is served without a
// refused request: the workers are replaced one at a time (on SIGHUP at once, else within 2 s).
// A mistake stops it with one line and exit code 1.
// Usage: npm start [-- build folder, default dist]; run on its own, with ASTRO_NODE_AUTOSTART=disabled.
import cluster from 'node:cluster';
import { resolve } from 'node:path';
import { prepareServerStore, runCommand } from './command.ts';
import { checkAdapterAutostartOff, type ServerConfig } from './config.ts';
import { editorStatusLine } from './editor-settings.ts';
import { secretFileOf } from './secrets.ts';
import { checkBuild } from './build-folder.ts';
import { listenAfterCheck, runWorkers } from './workers.ts';
import { publishHookPrimary } from './publish-queue.ts';

function describe(config: ServerConfig, database: string, withEditor: boolean) {
  console.log(`Database: ${database}.`);
  console.log(
    config.report
      ? 'Report: on at /stats/ (log in with STATS_USER and STATS_PASSWORD).'
      : 'Report: off (/stats/ answers 404). To turn it on, start with STATS_USER and STATS_PASSWORD set:\n' +
          '  STATS_USER=marketing STATS_PASSWORD=<a secret of 12 characters or more> npm start',
  );
  console.log(`Messages: kept ${config.messageRetentionDays} days (REEKS_MESSAGE_RETENTION_DAYS).`);
  console.log(
    config.smtp
      ? `E-mail to authors: on, through ${config.smtp.host}:${config.smtp.port}.`
      : 'E-mail to authors: off (messages are in the report and in npm run messages). To mail each author, set\n' +
          '  SMTP_HOST and SMTP_FROM (and SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD as your mail server needs).',
  );
  console.log(
    config.secretFromOldName
      ? 'Secret: from REEKS_FORM_SECRET, its old name. Rename it to REEKS_SECRET; the old name will stop working.'
      : config.secret
        ? 'Secret: from REEKS_SECRET.'
        : `Secret: kept in ${secretFileOf(config.databasePath)} (or set REEKS_SECRET for several servers).`,
  );
  console.log(
    config.smtp
      ? `Following by e-mail: on, at most ${config.mailsPerMinute} mails a minute (REEKS_MAILS_PER_MINUTE).`
      : 'Following by e-mail: off (the follow form says so); it needs SMTP_HOST and SMTP_FROM.',
  );
  console.log(
    config.trustedProxies.length === 0
      ? 'Clients: told apart by their own address (REEKS_TRUSTED_PROXIES unset: no reverse proxy in front).'
      : `Clients: told apart by X-Forwarded-For from the reverse proxies at ${config.trustedProxies.join(', ')} (REEKS_TRUSTED_PROXIES), every other peer by its own address.`,
  );
  console.log(
    `Limits: IPv6 clients counted per /${config.ipv6Prefix} (REEKS_IPV6_PREFIX); a request body must arrive within ${config.bodyTimeoutSeconds} s (REEKS_BODY_TIMEOUT_SECONDS).`,
  );
  // A test clock left set would keep expired author links working: said at every start.
  if (config.testNow)
    console.error(
      `Clock: REEKS_TEST_NOW is set, so the report mail's schedule and the authors' links take ${config.testNow.toISOString()} as now. It is for tests only: unset it.`,
    );
  // The browser editor on the live site (docs/editor-on-the-live-site.md): only in a build made with its settings.
  console.log(editorStatusLine(config.editor ?? null, withEditor));
}

await runCommand(async (config) => {
  // A worker is this file again, forked by the primary with the release's folder as its argument.
  const buildDir = resolve(process.argv[2] ?? 'dist');
  if (cluster.isWorker) {
    // Loaded only here: the primary serves no request and needs none of it.
    const { serveAsWorker } = await import('./serve.ts');
    return serveAsWorker(config, buildDir, { othersServe: process.argv[3] === listenAfterCheck });
  }
  checkAdapterAutostartOff(process.env);
  const build = checkBuild(buildDir, config);
  // Made or migrated (and on SQLite proven writable) once, before any worker opens its own.
  describe(config, await prepareServerStore(config), build.withEditor);
  await runWorkers(config, buildDir, await publishHookPrimary(config, buildDir));
});
