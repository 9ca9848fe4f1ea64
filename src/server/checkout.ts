// The site's checkout, as a publish brings it up to date (`npm run publish -- --pull`, which the push
// hook runs): the git working tree that holds the content folder (CONTENT_DIR, by default the
// project's own content/, so the project's checkout). Fetched from its remote `origin` and moved
// forward with `git merge --ff-only`: never a merge commit, never a reset; local changes and
// untracked files stay as they are (git refuses the merge when a local change would be
// overwritten, and the publish fails with git's lines). When package-lock.json changed, `npm ci`
// runs before the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Commit {
  sha: string;
  subject: string;
}

export type PullOutcome =
  { ok: true; before: string; commit: Commit; installed: boolean } | { ok: false; errorLines: string[] };

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function git(dir: string, args: string[]) {
  const result = spawnSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    // Never a prompt for a password: a hook's publish has nobody to answer it.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return {
    ok: result.status === 0,
    out: (result.stdout ?? '').trim(),
    errorLines: lines(`${result.stderr ?? ''}\n${result.error?.message ?? ''}`),
  };
}

/** The top of the git working tree that holds `contentDir`, or undefined when it is in none. */
export function checkoutOf(contentDir: string): string | undefined {
  const top = git(contentDir, ['rev-parse', '--show-toplevel']);
  return top.ok && top.out ? top.out : undefined;
}

/** The commit checked out in `dir`, or undefined when it is no git checkout. */
export function headCommit(dir: string): Commit | undefined {
  const head = git(dir, ['log', '-1', '--format=%H%n%s']);
  if (!head.ok) return undefined;
  const [sha = '', subject = ''] = head.out.split('\n');
  return sha ? { sha, subject } : undefined;
}

/**
 * Fetches `branch` (by default the one checked out) from origin into the checkout `dir` and
 * fast-forwards to it; then `npm ci` in `dir` when package-lock.json differs between the old and
 * the new commit.
 */
export function pullCheckout(
  dir: string,
  wanted: string | undefined,
  log: (line: string) => void = console.log,
): PullOutcome {
  const current = git(dir, ['symbolic-ref', '--short', 'HEAD']);
  const branch = wanted ?? current.out;
  if (!current.ok || current.out !== branch)
    return {
      ok: false,
      errorLines: [
        `The checkout ${dir} is on ${current.ok ? `branch ${current.out}` : 'no branch'}, not ${branch}: check out ${branch} there (git -C ${dir} switch ${branch}).`,
      ],
    };
  const before = headCommit(dir)?.sha ?? '';
  const fetched = git(dir, ['fetch', '--quiet', '--no-tags', 'origin', `refs/heads/${branch}`]);
  if (!fetched.ok)
    return { ok: false, errorLines: [`git fetch origin ${branch} failed:`, ...fetched.errorLines] };
  const merged = git(dir, ['merge', '--ff-only', '--quiet', 'FETCH_HEAD']);
  if (!merged.ok)
    return {
      ok: false,
      errorLines: [
        `git merge --ff-only origin/${branch} failed (nothing was changed):`,
        ...merged.errorLines,
      ],
    };
  const commit = headCommit(dir)!;
  log(
    commit.sha === before
      ? `Checkout ${dir}: already at ${commit.sha.slice(0, 10)} (${commit.subject}).`
      : `Checkout ${dir}: ${before.slice(0, 10)} → ${commit.sha.slice(0, 10)} (${commit.subject}).`,
  );
  let installed = false;
  if (before && before !== commit.sha && existsSync(join(dir, 'package-lock.json'))) {
    const changed = git(dir, ['diff', '--name-only', before, commit.sha, '--', 'package-lock.json']);
    if (changed.out !== '') {
      log('package-lock.json changed: npm ci…');
      const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
      if (install.status !== 0)
        return { ok: false, errorLines: [`npm ci failed in ${dir} (exit status ${install.status}).`] };
      installed = true;
    }
  }
  return { ok: true, before, commit, installed };
}
