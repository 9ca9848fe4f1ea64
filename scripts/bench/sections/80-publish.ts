// The push hook's publish (`npm run publish -- --pull`, what the hook runs): on a corpus in a git
// checkout with a local bare repository as its origin, a first publish from scratch, then one
// part changed and pushed, and the publish that fetches, fast-forwards, builds incrementally
// and switches `current`. The ratio of the two is what an editor's save costs against a first build.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCacheDir } from '../../../src/site.config.ts';
import { writeCorpus } from '../corpus.ts';
import { measured, work, type BenchSection, type Run } from '../shared.ts';

const target = 0.65;
const changeWord = 'pengatwerkverbinding';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.nl',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.nl',
};

function git(cwd: string, ...args: string[]) {
  const result = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

const publish = (root: string, checkout: string, args: string[] = []): Promise<Run> =>
  measured(['--disable-warning=ExperimentalWarning', 'scripts/publish.ts', '--dir', root, ...args], {
    CONTENT_DIR: checkout,
    // No database: the bench measures the publish, not its record.
    REEKS_DB_PATH: join(process.cwd(), root, 'no-database', 'site.db'),
  });

export const section: BenchSection = {
  name: 'publish',
  title: 'Publish after a push',
  async run({ options }) {
    const size = Math.max(...options.sizes);
    const base = join(process.cwd(), work, `publish-${size}`);
    rmSync(base, { recursive: true, force: true });
    const editor = join(base, 'editor');
    const origin = join(base, 'origin.git');
    const checkout = join(base, 'checkout');
    const root = join(work, `publish-${size}`, 'site');
    mkdirSync(editor, { recursive: true });
    mkdirSync(root, { recursive: true });
    writeCorpus(editor, size);
    git(editor, 'init', '-q', '-b', 'main');
    git(editor, 'add', '-A');
    git(editor, 'commit', '-q', '-m', 'Begin');
    git(base, 'clone', '-q', '--bare', editor, origin);
    git(editor, 'remote', 'add', 'origin', origin);
    git(base, 'clone', '-q', origin, checkout);
    rmSync(buildCacheDir(checkout), { recursive: true, force: true });

    // As many rounds as --runs: each a first publish from scratch, then one part changed and
    // published; the fastest of each counts (other work on the machine only makes one slower).
    const seriesDir = join(editor, 'posts', readdirSync(join(editor, 'posts')).sort()[0]!);
    const changedFile = readdirSync(seriesDir).sort()[0]!;
    const url = `${seriesDir.split('/').at(-1)}/${changedFile.replace(/\.mdx$/, '')}`;
    const firsts: Run[] = [];
    const afters: Run[] = [];
    let shown = true;
    for (let round = 0; round < options.runs; round++) {
      rmSync(buildCacheDir(checkout), { recursive: true, force: true });
      console.error(`\n${size} parts: the first publish, from scratch…`);
      const first = await publish(root, checkout);
      if (first.status !== 0) return `The first publish of ${size} parts failed (exit ${first.status}).`;
      firsts.push(first);
      appendFileSync(
        join(seriesDir, changedFile),
        `\nEen zin over de ${changeWord} die alleen dit deel heeft (${round + 1}).\n`,
      );
      git(editor, 'commit', '-q', '-a', '-m', `Een deel gewijzigd (${round + 1})`);
      git(editor, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
      console.error(`${size} parts: the publish after one changed part…`);
      const after = await publish(root, checkout, ['--pull']);
      if (after.status !== 0) return `The publish after one changed part failed (exit ${after.status}).`;
      afters.push(after);
      const release = readlinkSync(join(root, 'current'));
      shown &&= readFileSync(join(root, release, 'client', url, 'index.html'), 'utf8').includes(
        `${changeWord} die alleen dit deel heeft (${round + 1})`,
      );
    }
    const fastest = (runs: Run[]) => runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const first = fastest(firsts);
    const after = fastest(afters);
    const kept = (after.output.match(/\((restored|cached)\)/g) ?? []).length;
    const ratio = after.seconds / first.seconds;
    const list = (runs: Run[]) => runs.map((run) => `${run.seconds.toFixed(1)} s`).join(', ');
    rmSync(base, { recursive: true, force: true });
    rmSync(join(work, `publish-${size}`), { recursive: true, force: true });
    rmSync(buildCacheDir(checkout), { recursive: true, force: true });

    return `What the push hook runs after an editor's save (\`npm run publish -- --pull\`: \`git fetch\`,
\`git merge --ff-only\`, the incremental build, the switch of \`current\`), on ${size.toLocaleString('en')}
synthetic parts in a git checkout whose origin is a local bare repository, against the first
publish of the same checkout from scratch. Target: ${target}. The build is most of it; what the
incremental build keeps and what it does not is in "Build" above.

| parts | first publish | publish after one changed part | pages kept | ratio | target | the change in the page |
| --- | --- | --- | --- | --- | --- | --- |
| ${size.toLocaleString('en')} | ${first.seconds.toFixed(1)} s | ${after.seconds.toFixed(1)} s | ${kept.toLocaleString('en')} | ${ratio.toFixed(2)} | ${target} | ${shown ? 'yes' : 'no'} |

Every run: first publish ${list(firsts)}; after one changed part ${list(afters)}.

Until 2026-12-07 each publish built into a new folder \`releases/<moment>/\`, and Astro's
incremental build keeps a page only for a build into the same folder: 141 of 1,146 pages were
kept, ratio 0.91. A publish now builds into \`releases/.building/\` and renames it. What remains
above the target is what a build costs whatever changed: Astro's start and Vite's compile of
every module (in "Build" above, 19 of the 31 s of the one-part build), and the search index,
made again when an article changed. The runs vary by a third on a machine shared with other builds.
`;
  },
};
