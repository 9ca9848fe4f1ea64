// `npm run publish`: the one command a server's timer runs each night, so that parts dated today
// go live, and that the push hook runs after a push (src/server/publish-queue.ts). Builds the site
// into a new folder releases/<moment>/ and then points the link `current` at it in one atomic step
// (src/server/publish-release.ts); a running `npm start -- current` switches to it by itself
// within 1.5 s, or at once on SIGHUP (src/server/workers.ts).
// A build that fails (a content mistake, a full disk) switches nothing: the site stays as it was;
// the content check's lines are printed, recorded, and mailed to REEKS_OPERATOR_EMAIL (when SMTP
// is set). Every publish is a row of publish_runs (src/server/publish-runs.ts) in the server's
// database, when there is one; one publish runs at a time per folder (a lock under releases/).
//
// Usage: npm run publish [-- --date YYYY-MM-DD] [--dir <folder>] [--pull] [--timer]
//   --date   build the site as it will be on that day (parts dated up to then); default today
//   --dir    where releases/ and current live; default the project folder. Must be inside the
//            project: the built server finds its packages in node_modules.
//   --pull   first fetch and fast-forward the checkout that holds the content (src/server/checkout.ts)
//   --timer  recorded as started by the timer (the systemd unit in docs/publishing.md passes it)
//   --hook N the push hook's publish, for N pushes (implies --pull); given by the server only
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { publicationMoment } from '../src/environment.ts';
import { checkoutOf, headCommit, pullCheckout, type PullOutcome } from '../src/server/checkout.ts';
import { openExistingStore, runCommand } from '../src/server/command.ts';
import { ConfigError, type ServerConfig } from '../src/server/config.ts';
import type { PublishTrigger } from '../src/lib/publish-status.ts';
import type { Database } from '../src/server/database.ts';
import { queueMail } from '../src/server/outbox.ts';
import { buildRelease, publishFolders, takePublishLock } from '../src/server/publish-release.ts';
import {
  finishPublishRun,
  markInterruptedRuns,
  recordPublishCommit,
  startPublishRun,
} from '../src/server/publish-runs.ts';
import { contentDir, site } from '../src/site.config.ts';

const { values } = parseArgs({
  options: {
    date: { type: 'string' },
    dir: { type: 'string', default: '.' },
    pull: { type: 'boolean', default: false },
    timer: { type: 'boolean', default: false },
    hook: { type: 'string' },
  },
});
try {
  publicationMoment(values.date);
} catch (error) {
  console.error((error as Error).message.replace('REEKS_NOW', '--date'));
  process.exit(2);
}
const hookRequests = values.hook === undefined ? undefined : Number(values.hook);
if (hookRequests !== undefined && !(Number.isInteger(hookRequests) && hookRequests >= 1)) {
  console.error(`--hook must be the number of pushes, 1 or more, not "${values.hook}".`);
  process.exit(2);
}
const startedBy: PublishTrigger = hookRequests ? 'hook' : values.timer ? 'timer' : 'command';
const root = resolve(values.dir);
const { current } = publishFolders(root);

/** Until this process holds the lock: another publish (the hook's, the timer's) finishes first. */
async function lockPublishing() {
  const began = Date.now();
  let told = false;
  for (;;) {
    const lock = takePublishLock(root);
    if ('release' in lock) return lock.release;
    if (Date.now() - began > 30 * 60_000)
      throw new ConfigError(
        `Another publish (process ${lock.heldBy}) has held ${root} for 30 minutes: nothing published.`,
      );
    if (!told) console.log(`Waiting for the publish of process ${lock.heldBy} to finish…`);
    told = true;
    await new Promise((resolveLater) => setTimeout(resolveLater, 1_000));
  }
}

/** The server's database to record the publish in; none yet (no server ever started): not recorded. */
async function openRecord(config: ServerConfig): Promise<Database | undefined> {
  try {
    return await openExistingStore(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.log(`This publish is not recorded: ${error.message}`);
    return undefined;
  }
}

async function mailOperator(config: ServerConfig, db: Database, runId: number, errorLines: string[]) {
  if (!config.operatorEmail || !config.smtp) return;
  const host = new URL(site.url).host;
  await queueMail(db, {
    recipient: config.operatorEmail,
    cause: `publish-failed:${runId}`,
    kind: 'operator',
    content: {
      to: config.operatorEmail,
      subject: `Publiceren van ${host} is mislukt`,
      text: [
        `Een publicatie van ${host} (gestart door: ${startedBy}) is mislukt. De site toont nog de vorige versie.`,
        '',
        'Wat misging:',
        ...errorLines.map((line) => `  ${line}`),
        '',
        'Herstel de fout in de inhoud en sla opnieuw op, of publiceer daarna met npm run publish.',
      ].join('\n'),
    },
  });
  console.log(`Mail to ${config.operatorEmail} queued (REEKS_OPERATOR_EMAIL).`);
}

await runCommand(async (config) => {
  const unlock = await lockPublishing();
  const db = await openRecord(config);
  try {
    if (db) {
      const interrupted = await markInterruptedRuns(db);
      if (interrupted > 0)
        console.log(`${interrupted} earlier publish(es) had stopped before they ended: marked interrupted.`);
    }
    const runId = db ? await startPublishRun(db, { startedBy, requests: hookRequests ?? 1 }) : undefined;
    const fail = async (errorLines: string[], what: string) => {
      console.error(`${what}: nothing published, ${current} is unchanged.`);
      for (const line of errorLines) console.error(`  ${line}`);
      if (db && runId !== undefined) {
        await finishPublishRun(db, runId, { result: 'failed', errorLines });
        await mailOperator(config, db, runId, errorLines);
      }
      process.exitCode = 1;
    };

    const checkout = checkoutOf(contentDir);
    let commit = checkout ? headCommit(checkout) : undefined;
    if (values.pull || hookRequests) {
      const pulled: PullOutcome = checkout
        ? pullCheckout(checkout, config.publishHook?.branch)
        : {
            ok: false,
            errorLines: [`The content folder ${contentDir} is in no git checkout: nothing to fetch.`],
          };
      if (!pulled.ok) return await fail(pulled.errorLines, 'Fetching the content failed');
      commit = pulled.commit;
    }
    if (db && runId !== undefined && commit) await recordPublishCommit(db, runId, commit);

    const built = await buildRelease(root, { date: values.date });
    if (!built.ok) return await fail(built.errorLines, 'Build failed');
    if (db && runId !== undefined)
      await finishPublishRun(db, runId, { result: 'published', release: built.release });
    console.log(
      `Published: ${current} → releases/${built.release}. A running \`npm start -- current\` switches to it within 1.5 s (at once on SIGHUP).`,
    );
  } finally {
    await db?.close();
    unlock();
  }
});
