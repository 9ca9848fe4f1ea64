// The push hook's queue, in the primary of `npm start` (src/server/workers.ts): a worker that took a
// signed push tells the primary, and only the primary publishes, so with any number of workers
// one publish runs at a time on a host. A push that arrives while a publish runs is not lost and
// not a publish of its own: every push until that publish ends is folded into one follow-up
// publish, which fetches whatever the branch holds by then. So ten pushes in two seconds are two
// publishes at most.
//
// A publish is `npm run publish -- --hook <pushes>` (scripts/publish.ts) in the project folder, with
// the server's environment: it fetches and fast-forwards the checkout, builds, switches `current`,
// and records itself in publish_runs. The workers then move to the new release as for any publish,
// each a new process that loads the server code of the checkout as it now is.
import { spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openExistingStore } from './command.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import { takePublishLock } from './publish-release.ts';
import { markInterruptedRuns } from './publish-runs.ts';
import { publishHookStatusLine } from './publish-settings.ts';

export interface PublishQueue {
  /** One more push to publish: now, or folded into the publish after the one running. */
  request(): void;
  /** Resolves once no publish runs and none waits (for a stop, and the tests). */
  idle(): Promise<void>;
}

/** A queue that runs `publish(pushes)` one at a time, folding the requests that come meanwhile. */
export function createPublishQueue(publish: (pushes: number) => Promise<void>): PublishQueue {
  let waiting = 0;
  let running: Promise<void> | undefined;

  async function drain() {
    while (waiting > 0) {
      const pushes = waiting;
      waiting = 0;
      try {
        await publish(pushes);
      } catch (error) {
        console.error(`The publish could not run: ${(error as Error).message}`);
      }
    }
  }

  return {
    request() {
      waiting++;
      running ??= drain().finally(() => (running = undefined));
    },
    async idle() {
      while (running) await running;
    },
  };
}

const publishScript = resolve(import.meta.dirname, '../../scripts/publish.ts');

/**
 * Runs the publish command for the hook, into `root` (the folder holding releases/ and current);
 * its lines go to the server's log. Resolves with whether it published.
 */
export function runHookPublish(root: string, pushes: number): Promise<boolean> {
  const began = Date.now();
  console.log(`Publish hook: publishing ${pushes} push(es)…`);
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', publishScript, '--dir', root, '--hook', String(pushes)],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return new Promise((resolveRun) => {
    child.once('error', (error) => {
      console.error(`Publish hook: the publish could not start: ${error.message}`);
      resolveRun(false);
    });
    child.once('close', (status) => {
      const seconds = ((Date.now() - began) / 1000).toFixed(1);
      if (status === 0) console.log(`Publish hook: published in ${seconds} s.`);
      else
        console.error(
          `Publish hook: the publish failed after ${seconds} s (lines above); the site serves what it served.`,
        );
      resolveRun(status === 0);
    });
  });
}

/**
 * At `npm start`: a publish of `root` that a crash (of the host, or of the server that ran it)
 * stopped is marked 'interrupted' in publish_runs, unless a publish runs now (it holds the lock).
 */
async function markInterruptedAtStart(config: ServerConfig, root: string) {
  const lock = takePublishLock(root);
  if (!('release' in lock)) return;
  try {
    const db = await openExistingStore(config);
    try {
      const interrupted = await markInterruptedRuns(db);
      if (interrupted > 0)
        console.log(
          `Publications: ${interrupted} publish(es) had stopped before they ended: marked interrupted.`,
        );
    } finally {
      await db.close();
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  } finally {
    lock.release();
  }
}

/**
 * For `npm start`'s primary, serving `buildDir`: says in one line whether the hook is on, and
 * returns what runWorkers calls for each push a worker took. A publish goes into the folder that
 * holds the link served (`npm start -- current`: the project folder); once it has switched the
 * link, the primary is sent SIGHUP, so the workers move to the new release at once.
 */
export async function publishHookPrimary(
  config: ServerConfig,
  buildDir: string,
): Promise<{ publishRequested?: (wakeOutbox: () => void) => void }> {
  const root = dirname(buildDir);
  const followsLink = lstatSync(buildDir).isSymbolicLink();
  if (followsLink) await markInterruptedAtStart(config, root);
  console.log(publishHookStatusLine(config.publishHook, { followsLink, root }));
  if (!config.publishHook) return {};
  let wake = () => {};
  const queue = createPublishQueue(async (pushes) => {
    if (await runHookPublish(root, pushes)) {
      if (followsLink) process.kill(process.pid, 'SIGHUP');
    } else wake(); // The operator's mail, when the publish queued one.
  });
  return {
    publishRequested: (wakeOutbox) => {
      wake = wakeOutbox;
      queue.request();
    },
  };
}
