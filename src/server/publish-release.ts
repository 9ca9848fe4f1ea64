// A publish's build and switch, for `npm run publish` (scripts/publish.ts), which the nightly timer
// and the push hook (src/server/publish-queue.ts) both run: builds the site (the content check
// first, then Astro's incremental build, docs/builds.md) into releases/.building/, renamed to a new
// folder releases/<moment>/, and,
// only when that succeeds, points the link `current` at it in one atomic step; a running
// `npm start -- current` switches to it by itself (src/server/workers.ts). A build that fails
// switches nothing. The newest releases are kept, so a worker still finishing its requests on an
// older one keeps its files.
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Releases kept besides the current one. */
const keep = 3;

export type BuildOutcome = { ok: true; release: string } | { ok: false; errorLines: string[] };

/** The folders a publish in `root` uses: releases/, the link current, and the lock (only one publish builds). */
export const publishFolders = (root: string) => ({
  releases: join(root, 'releases'),
  current: join(root, 'current'),
  lock: join(root, 'releases', '.publish-lock'),
});

const withoutColours = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * What a failed build's output says went wrong, one line each: the content check's lines (one per
 * mistake: `file:line  field  message`, src/lib/content-validation.ts) when it found any, else the
 * last lines that say something (a full disk, a broken component).
 */
export function failureLines(output: string): string[] {
  const lines = withoutColours(output)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const start = lines.findIndex((line) => /De inhoud bevat \d+ fout(en)?:/.test(line));
  if (start !== -1) {
    const problems = lines.slice(start + 1).filter((line) => /^\s*\S+:\d+ {2}/.test(line));
    if (problems.length > 0)
      return [lines[start]!.replace(/^.*?(De inhoud bevat)/, '$1'), ...problems.map((line) => line.trim())];
  }
  const errors = lines.filter((line) => /error|fout|ENOSPC|failed/i.test(line));
  return (errors.length > 0 ? errors : lines).slice(-15).map((line) => line.trim());
}

/** Runs a command, passing its output on as it comes and keeping it; resolves with its status and output. */
function runTeed(command: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv }) {
  return new Promise<{ status: number | null; output: string }>((resolveRun) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.once('error', (error) => resolveRun({ status: null, output: `${output}\n${error.message}` }));
    child.once('close', (status) => resolveRun({ status, output }));
  });
}

/**
 * Builds a new release under `root`/releases and switches `root`/current to it. `date`: as on that
 * day (REEKS_NOW for the build). The build runs in the project folder (process.cwd()), with
 * this process's environment (CONTENT_DIR, SITE_URL, …).
 */
export async function buildRelease(
  root: string,
  { date, log = console.log }: { date?: string; log?: (line: string) => void } = {},
): Promise<BuildOutcome> {
  const { releases, current } = publishFolders(root);
  mkdirSync(releases, { recursive: true });
  // Sortable, and a valid folder name on every system.
  const release = new Date().toISOString().replace(/[:.]/g, '-');
  // Always built in the same folder, then renamed to releases/<moment>: Astro's incremental build
  // keeps a page only when it is built to the same output folder as last time (into a new folder
  // each time, 20 of 125 pages were kept; into the same one, all that had not changed).
  const outDir = join(releases, '.building');
  rmSync(outDir, { recursive: true, force: true });

  log(`Building release ${release}${date ? ` as on ${date}` : ''}…`);
  const build = await runTeed(
    process.execPath,
    ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', outDir],
    { env: { ...process.env, ...(date && { REEKS_NOW: date }), ASTRO_TELEMETRY_DISABLED: '1' } },
  );
  if (build.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    return { ok: false, errorLines: failureLines(build.output) };
  }
  renameSync(outDir, join(releases, release));

  // A new link renamed over the old one: readers' server never sees `current` missing.
  const link = `${current}.${process.pid}`;
  symlinkSync(join('releases', release), link);
  renameSync(link, current);

  // Keep the newest releases, and always the one `current` points to.
  const live = readlinkSync(current);
  const folders = readdirSync(releases).filter((name) => !name.startsWith('.'));
  for (const old of folders.sort().reverse().slice(keep)) {
    if (join('releases', old) !== live) rmSync(join(releases, old), { recursive: true, force: true });
  }
  return { ok: true, release };
}

/** Whether the process `pid` is alive (EPERM: alive, but another user's). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the publish lock of `root` (a folder holding this process's pid): one publish at a time
 * per host, whether the hook, the timer or a person started it. A lock whose process is gone is
 * taken over. Returns the pid of the publish that holds it instead, or a release function.
 */
export function takePublishLock(root: string): { release: () => void } | { heldBy: number } {
  const { releases, lock } = publishFolders(root);
  mkdirSync(releases, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return { release: () => rmSync(lock, { recursive: true, force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let pid = 0;
    try {
      pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // Its owner has not written its pid yet, or it is gone.
    }
    if (pid && isRunning(pid) && pid !== process.pid) return { heldBy: pid };
    if (!pid && attempt === 0) {
      // Just made by another publish, which writes its pid next: look again in a moment.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    rmSync(lock, { recursive: true, force: true });
  }
  throw new Error(`Cannot take the publish lock ${lock}.`);
}
