// The checkout a publish brings up to date (src/server/checkout.ts), on real git repositories: a
// bare one as origin, a clone as the site's checkout, and a third clone where the commits are made.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkoutOf, headCommit, pullCheckout } from './checkout.ts';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Redactie',
  GIT_AUTHOR_EMAIL: 'redactie@example.nl',
  GIT_COMMITTER_NAME: 'Redactie',
  GIT_COMMITTER_EMAIL: 'redactie@example.nl',
};
const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

let base = '';
let editor = '';
let checkout = '';
const quiet = () => {};

function commit(dir: string, file: string, text: string, message: string) {
  writeFileSync(join(dir, file), text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

const lock = (name: string) =>
  JSON.stringify({ name, lockfileVersion: 3, requires: true, packages: { '': { name } } }, null, 2);

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'reeks-checkout-'));
  editor = join(base, 'editor');
  git(base, 'init', '-q', '-b', 'main', editor);
  writeFileSync(join(editor, 'package.json'), JSON.stringify({ name: 'site', private: true }));
  commit(editor, 'package-lock.json', lock('site'), 'Begin');
  git(base, 'clone', '-q', '--bare', editor, join(base, 'origin.git'));
  git(editor, 'remote', 'add', 'origin', join(base, 'origin.git'));
  checkout = join(base, 'checkout');
  git(base, 'clone', '-q', join(base, 'origin.git'), checkout);
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

it('fast-forwards to the pushed commit and keeps local files', () => {
  writeFileSync(join(checkout, 'lokaal.txt'), 'van de beheerder');
  commit(editor, 'deel.mdx', 'Nieuw deel', 'Deel toegevoegd');
  git(editor, 'push', '-q', 'origin', 'main');
  const pulled = pullCheckout(checkout, 'main', quiet);
  expect(pulled).toMatchObject({ ok: true, installed: false, commit: { subject: 'Deel toegevoegd' } });
  expect(headCommit(checkout)!.sha).toBe(git(editor, 'rev-parse', 'HEAD'));
  expect(readFileSync(join(checkout, 'lokaal.txt'), 'utf8')).toBe('van de beheerder');
  expect(checkoutOf(checkout)).toBe(git(checkout, 'rev-parse', '--show-toplevel'));
  // Only merges, never a merge commit: the history is the editor's.
  expect(git(checkout, 'log', '--format=%s')).toBe('Deel toegevoegd\nBegin');
});

it('runs npm ci when package-lock.json changed, and only then', () => {
  // npm ci begins by removing node_modules: what was installed before is gone after it.
  mkdirSync(join(checkout, 'node_modules', 'oud-pakket'), { recursive: true });
  commit(editor, 'package-lock.json', lock('site-2'), 'Pakketten bijgewerkt');
  git(editor, 'push', '-q', 'origin', 'main');
  expect(pullCheckout(checkout, 'main', quiet)).toMatchObject({ ok: true, installed: true });
  expect(existsSync(join(checkout, 'node_modules', 'oud-pakket'))).toBe(false);
  commit(editor, 'deel.mdx', 'Tekst', 'Alleen tekst');
  git(editor, 'push', '-q', 'origin', 'main');
  expect(pullCheckout(checkout, 'main', quiet)).toMatchObject({ ok: true, installed: false });
});

it('refuses what is not a fast-forward, and another branch, changing nothing', () => {
  commit(checkout, 'eigen.txt', 'lokaal', 'Een commit op de server zelf');
  const before = headCommit(checkout)!.sha;
  commit(editor, 'deel.mdx', 'Tekst', 'Op GitHub');
  git(editor, 'push', '-q', 'origin', 'main');
  const diverged = pullCheckout(checkout, 'main', quiet);
  expect(diverged.ok).toBe(false);
  expect(!diverged.ok && diverged.errorLines[0]).toMatch(/^git merge --ff-only origin\/main failed/);
  expect(headCommit(checkout)!.sha).toBe(before);

  const wrongBranch = pullCheckout(checkout, 'productie', quiet);
  expect(!wrongBranch.ok && wrongBranch.errorLines[0]).toMatch(/is on branch main, not productie/);
});
