// The primary of `npm start`: a Node cluster primary that keeps the listening socket (on Linux it
// accepts each connection and hands it to a worker) and runs REEKS_WORKERS workers
// (src/server/serve.ts), each on the real folder of the release it serves.
//
// A new release (the build folder is a link such as `current`, polled every 1.5 s, and checked
// at once on SIGHUP) is served without refusing anyone: for each old worker, a worker on the new
// release is started, and once it listens and its database has passed its check, the old worker
// is asked to stop; it takes no new connection, finishes what it has and leaves. The socket never
// closes, for some worker listens on it all along. A worker on the new release that cannot start
// leaves the old ones serving, with one line saying why; that release is tried again when the
// link changes (or on SIGHUP).
//
// The host's background work (src/server/background-work.ts: recording the release and queuing
// its mails, the outbox, deleting old messages) runs in one worker at a time, in this order: the
// primary asks a serving worker on the newest release to start it only when no worker runs it,
// that is at first start, or once the worker that ran it has exited (after its outbox stopped
// with the mail it was sending). So the outbox's recovery of rows left 'sending' never runs while
// another worker may still be sending, and each release is recorded once. The worker running it is
// the first old one to be replaced, so the new release's parts are recorded soon.
import cluster, { type Worker } from 'node:cluster';
import { lstatSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { checkBuild } from './build-folder.ts';
import type { ServerConfig } from './config.ts';

/** What a worker (src/server/serve.ts) tells the primary. */
export type WorkerMessage =
  /** Listening, and the database passed its check: this worker serves `release`. */
  | { kind: 'serving'; release: string; port: number }
  /** It could not start; `reason` is one line for the operator. It exits next. */
  | { kind: 'failed'; reason: string }
  /** It was told to stop by a signal of its own (Ctrl+C reaches every process), not by the primary. */
  | { kind: 'stopping' }
  /** A mail was queued here: the outbox, in whichever worker runs it, sends it now. */
  | { kind: 'mail-queued' }
  /** A signed push reached the publish hook (src/server/publish-hook.ts): the primary's queue publishes. */
  | { kind: 'publish-requested' };

/** What the primary tells a worker. */
export type PrimaryMessage =
  | { kind: 'start-background' }
  | { kind: 'wake-outbox' }
  /** `replaced`: other workers go on serving (a switch), so idle connections are not cut. */
  | { kind: 'stop'; replaced: boolean };

/**
 * The argument after the build folder that the primary gives a worker started while others serve:
 * it listens only once its database has passed its check, for until then
 * it would answer every write 503 (src/server/db-watch.ts) that a serving worker would have taken.
 * The first workers listen at once: pages are served while the check runs.
 */
export const listenAfterCheck = '--listen-after-check';

interface ServingWorker {
  worker: Worker;
  /** The release's real folder. */
  folder: string;
  release: string;
  state: 'starting' | 'serving' | 'stopping';
  port?: number;
}

const pollEveryMs = 1_500;
/** A worker asked to stop that is still there after this (its drain and outbox caps are 20 s and 10 s) is killed. */
const killAfterMs = 40_000;
/** This many unexpected ends of workers within a minute: something is wrong that a new worker will not fix. */
const quickFailures = { count: 5, withinMs: 60_000 };

const release = (folder: string) => basename(folder);

/** An error's message on one line. */
const oneLine = (error: unknown) => ((error as Error).message ?? String(error)).replace(/\s+/g, ' ').trim();
/** The same as a sentence of a longer line. */
const sentence = (error: unknown) => oneLine(error).replace(/(?<![.!?])$/, '.');

/**
 * Closes the connections the primary handed to `worker` that it had not taken when its process
 * ended. Node's cluster keeps its copy of each connection until the worker answers that it took
 * it, so a worker killed in that instant would leave its reader waiting until the browser gives
 * up; closed, the reader's browser sees the connection end at once. This follows how Node 22's
 * cluster hands over a connection (lib/internal/cluster/utils.js): `worker.process.send()` of
 * `{ cmd: 'NODE_CLUSTER', act: 'newconn', seq }` with the handle, answered by an internal message
 * with `ack: seq`.
 */
function closeConnectionsNotTaken(worker: Worker) {
  type Handed = { cmd?: string; act?: string; seq?: number; ack?: number };
  const child = worker.process;
  const notTaken = new Map<number, { close(): void }>();
  const send = child.send.bind(child) as (message: Handed, handle?: unknown, ...rest: unknown[]) => boolean;
  child.send = ((message: Handed, handle?: { close(): void }, ...rest: unknown[]) => {
    if (handle && message?.cmd === 'NODE_CLUSTER' && message.act === 'newconn' && message.seq !== undefined)
      notTaken.set(message.seq, handle);
    return send(message, handle, ...rest);
  }) as typeof child.send;
  child.on('internalMessage', (message: Handed) => {
    if (message?.cmd === 'NODE_CLUSTER' && message.ack !== undefined) notTaken.delete(message.ack);
  });
  // 'close' comes after the last answer the worker sent.
  child.once('close', () => {
    for (const handle of notTaken.values()) handle.close();
    notTaken.clear();
  });
}

/**
 * Serves `buildDir` with config.workers workers until SIGTERM or SIGINT; exits the process.
 * `publishRequested`: a worker took a push for the publish hook (src/server/publish-queue.ts);
 * it is given what wakes the outbox, for a publish that queued the operator's mail.
 */
export async function runWorkers(
  config: ServerConfig,
  buildDir: string,
  { publishRequested }: { publishRequested?: (wakeOutbox: () => void) => void } = {},
): Promise<void> {
  const followsLink = lstatSync(buildDir).isSymbolicLink();
  const workers = new Map<number, ServingWorker>();
  /** The release new workers start on: the one being served, or switched to. */
  let folder = realpathSync(buildDir);
  /** The worker that runs the host's background work, until its process has ended. */
  let background: ServingWorker | undefined;
  /** A release whose first worker could not start: not tried again until the link changes. */
  let failedFolder: string | undefined;
  let switching = false;
  let checkAgain = false;
  let stopping = false;
  let quiet = false;
  const failures: number[] = [];

  const send = (served: ServingWorker, message: PrimaryMessage) => {
    if (served.worker.isConnected()) served.worker.send(message);
  };

  function assignBackground() {
    if (background || stopping) return;
    background = [...workers.values()].find(
      (served) => served.state === 'serving' && served.folder === folder,
    );
    if (background) send(background, { kind: 'start-background' });
  }

  function askToStop(served: ServingWorker, replaced: boolean) {
    served.state = 'stopping';
    send(served, { kind: 'stop', replaced });
    const { process: child } = served.worker;
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, killAfterMs).unref();
  }

  /** A worker on `on`; resolves once it serves, rejects with the reason it could not. */
  function startWorker(on: string): Promise<ServingWorker> {
    // With none serving, a worker listens at once; one started while others serve waits for its
    // database's check, so that it never answers a write 503 that they would have taken.
    const othersServe = [...workers.values()].some((served) => served.state === 'serving');
    cluster.setupPrimary({ args: othersServe ? [on, listenAfterCheck] : [on] });
    const worker = cluster.fork();
    closeConnectionsNotTaken(worker);
    const served: ServingWorker = { worker, folder: on, release: release(on), state: 'starting' };
    workers.set(worker.id, served);
    let failure: string | undefined;
    return new Promise((resolveServing, rejectStart) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'serving') {
          served.state = 'serving';
          served.port = message.port;
          console.log(`Serving release ${served.release} in worker ${worker.process.pid}.`);
          resolveServing(served);
          assignBackground();
        } else if (message.kind === 'failed') failure = message.reason;
        else if (message.kind === 'stopping') served.state = 'stopping';
        else if (message.kind === 'mail-queued' && background?.state === 'serving')
          send(background, { kind: 'wake-outbox' });
        else if (message.kind === 'publish-requested')
          publishRequested?.(() => {
            if (background?.state === 'serving') send(background, { kind: 'wake-outbox' });
          });
      });
      // 'close' rather than 'exit': it comes after the last message the worker sent.
      worker.process.once('close', (code: number | null, signal: string | null) => {
        workers.delete(worker.id);
        if (background === served) background = undefined;
        const how = signal ?? `exit code ${code}`;
        // Nothing when it served already; otherwise whoever waits for it learns why it did not.
        rejectStart(new Error(failure ?? `its process ended (${how}) before it served.`));
        if (served.state === 'starting') return;
        if (served.state === 'stopping') {
          if (!quiet)
            console.log(
              `Worker ${worker.process.pid} (release ${served.release}) finished its requests and left.`,
            );
        } else
          replaceLater(
            `Worker ${worker.process.pid} (release ${served.release}) stopped unexpectedly (${how})`,
          );
        assignBackground();
      });
    });
  }

  /** Another worker for one that ended, after a pause that grows; a stop after too many in a minute. */
  function replaceLater(what: string) {
    if (stopping) return;
    const now = Date.now();
    failures.push(now);
    while (failures[0]! < now - quickFailures.withinMs) failures.shift();
    if (failures.length >= quickFailures.count) {
      console.error(
        `${what}: the ${failures.length}th worker to end within a minute. npm start stops (exit code 1), for a new worker will not fix what the lines above say.`,
      );
      stopAll(1);
      return;
    }
    const pauseMs = Math.min(1000 * 2 ** (failures.length - 1), 30_000);
    console.error(`${what}: starting another in ${pauseMs / 1000} s.`);
    setTimeout(() => {
      if (!stopping)
        startWorker(folder).catch((error) =>
          replaceLater(`A new worker could not start (${oneLine(error)})`),
        );
    }, pauseMs);
  }

  /** Replaces every worker, one at a time, by one on `next` (see the top of this file). */
  async function switchTo(next: string) {
    switching = true;
    const began = Date.now();
    const from = folder;
    // The worker with the background work first, so that it moves to the new release soon.
    const old = [...workers.values()]
      .filter((served) => served.state !== 'stopping')
      .sort((a, b) => Number(b === background) - Number(a === background));
    try {
      let replaced = 0;
      for (const previous of old) {
        if (stopping) return;
        if (!workers.has(previous.worker.id)) continue;
        try {
          await startWorker(next);
        } catch (error) {
          if (replaced === 0) {
            failedFolder = next;
            console.error(
              `Release ${release(next)} not served: ${sentence(error)} The workers on release ${release(from)} go on serving; ${buildDir} is tried again when it changes, or on SIGHUP.`,
            );
            return;
          }
          console.error(
            `A worker on release ${release(next)} could not start (${oneLine(error)}): one on release ${release(from)} goes on serving beside it.`,
          );
          continue;
        }
        if (replaced++ === 0) {
          folder = next;
          failedFolder = undefined;
        }
        askToStop(previous, true);
      }
      console.log(
        `Switched to release ${release(next)} in ${((Date.now() - began) / 1000).toFixed(1)} s: ${replaced} worker(s) replaced; the old ones leave once their requests are done.`,
      );
    } finally {
      switching = false;
      if (checkAgain) {
        checkAgain = false;
        checkRelease(false);
      }
    }
  }

  /** Whether the link points at a release other than the one served; if so, switches to it. */
  function checkRelease(onSignal: boolean) {
    if (stopping) return;
    if (switching) {
      checkAgain = true;
      return;
    }
    let next: string;
    try {
      next = realpathSync(buildDir);
    } catch (error) {
      if (onSignal) console.error(`SIGHUP: ${buildDir} cannot be read (${oneLine(error)}); nothing changes.`);
      return;
    }
    // SIGHUP on a plain folder (not a link): new workers on the same folder.
    if (next === folder && (followsLink || !onSignal)) {
      if (onSignal) console.log(`SIGHUP: ${buildDir} points at release ${release(next)}, which is served.`);
      return;
    }
    if (next === failedFolder && !onSignal) return;
    try {
      checkBuild(next, config);
    } catch (error) {
      // Whatever is wrong with the new folder (no build, a manifest that is not JSON): it is not served.
      failedFolder = next;
      console.error(
        `Release ${release(next)} not served: ${sentence(error)} The workers on release ${release(folder)} go on serving.`,
      );
      return;
    }
    void switchTo(next);
  }

  /** Every worker stopped gracefully, then the process exits with `code`. */
  function stopAll(code: number) {
    if (stopping) return;
    stopping = true;
    const ended = [...workers.values()].map(
      (served) => new Promise((done) => served.worker.process.once('close', done)),
    );
    for (const served of workers.values()) askToStop(served, false);
    void Promise.all(ended).then(() => process.exit(code));
  }

  process.once('SIGTERM', () => stopAll(0));
  process.once('SIGINT', () => stopAll(0));
  process.on('SIGHUP', () => checkRelease(true));
  console.log(
    `Workers: ${config.workers} (REEKS_WORKERS)${followsLink ? `; ${buildDir} points at release ${release(folder)}, and another release it points at is switched to without a restart (at once on SIGHUP).` : '.'}`,
  );
  try {
    const started = await Promise.all(Array.from({ length: config.workers }, () => startWorker(folder)));
    console.log(`Serving on http://${config.host}:${started[0]!.port}/`);
  } catch (error) {
    if (stopping) return;
    // As a mistake found before serving: one line, exit code 1.
    console.error(oneLine(error));
    quiet = true;
    stopAll(1);
    return;
  }
  if (followsLink) setInterval(() => checkRelease(false), pollEveryMs).unref();
}
