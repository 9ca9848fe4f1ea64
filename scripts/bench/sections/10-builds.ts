// Builds of synthetic corpora, ours next to Astro + MDX alone ("bare"): the first build, the
// incremental ones, and where their time goes.
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildCacheDir } from '../../../src/site.config.ts';
import { writeCorpus } from '../corpus.ts';
import { astro, folderBytes, mb, measured, pagesIn, work, type BenchSection, type Run } from '../shared.ts';

/** Other work on the machine only ever makes a build slower: the fastest run is closest to its own cost. */
const fastest = (runs: Run[]) => runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
const secondsOf = (runs: Run[]) => runs.map((run) => `${run.seconds.toFixed(1)} s`).join(', ');

/**
 * Where the time of a build goes, from its log: starting and reading the content, Vite compiling
 * the modules (server, client, prerender), rendering or keeping the pages, and what comes after
 * them (search index, sitemap, the adapter's server build).
 */
function phases(run: Run): string {
  const at = (pattern: RegExp, from = 0) =>
    run.lines.find((line) => line.at >= from && pattern.test(line.text))?.at;
  const compiling = at(/Building (server|static) entrypoints/) ?? 0;
  const pages = at(/(prerendering|generating) static routes/) ?? compiling;
  const pagesDone = at(/✓ Completed in/, pages) ?? pages;
  const kept = (run.output.match(/\((restored|cached)\)/g) ?? []).length;
  const s = (seconds: number) => `${seconds.toFixed(1)} s`;
  return `start ${s(compiling)}, compile ${s(pages - compiling)}, pages ${s(pagesDone - pages)} (${kept.toLocaleString('en')} kept), after the pages ${s(run.seconds - pagesDone)}`;
}

/** A word found in no corpus: the change a one-part build must show, in the page and in search. */
const changeWord = 'zwaluwstaartverbinding';

/** Whether search finds `word` on the page at `url`: Pagefind's fragments, gzipped JSON after a signature. */
function searchHas(clientDir: string, url: string, word: string): boolean {
  const dir = join(clientDir, 'pagefind', 'fragment');
  return readdirSync(dir).some((file) => {
    const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
    return text.includes(`"url":"${url}"`) && text.includes(word);
  });
}

export const section: BenchSection = {
  name: 'builds',
  title: 'Build',
  async run({ options, corpusBuilds }) {
    const { sizes, runs, skipBare } = options;
    const rows: string[] = [];
    const incrementalRows: string[] = [];
    const phaseRows: string[] = [];
    const runNotes: string[] = [];
    for (const size of sizes) {
      const contentDir = join(process.cwd(), work, `content-${size}`);
      const corpus = writeCorpus(contentDir, size);
      console.error(`\n${size} parts in ${corpus.series} series: building…`);

      const outDir = join(work, `ours-${size}`);
      const bareDir = join(process.cwd(), work, `bare-${size}`);
      const bareRoot = join(work, 'bare');
      cpSync('scripts/bench/bare-astro', bareRoot, { recursive: true });
      // Ours and bare take turns, so that both meet the same moments of a busy machine. Each build
      // starts from scratch: ours without what an earlier build kept (its content store and pages),
      // bare with --force, which leaves out Astro's content cache.
      const ours: Run[] = [];
      const bare: Run[] = [];
      for (let run = 0; run < runs; run++) {
        rmSync(outDir, { recursive: true, force: true });
        rmSync(buildCacheDir(contentDir), { recursive: true, force: true });
        ours.push(await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir }));
        if (ours.at(-1)!.status !== 0) break;
        if (skipBare) continue;
        rmSync(bareDir, { recursive: true, force: true });
        bare.push(
          await measured([astro, 'build', '--force', '--root', bareRoot, '--outDir', bareDir], {
            CONTENT_DIR: contentDir,
          }),
        );
      }
      const failed = ours.find((run) => run.status !== 0);
      if (failed) {
        rows.push(
          `| ${size} | build failed (exit ${failed.status}, peak ${failed.peakMb.toFixed(0)} MB) | | | | | | | | | | | |`,
        );
        continue;
      }
      const first = fastest(ours);
      const pages = pagesIn(join(outDir, 'client'));
      // The next builds of the same folder are incremental: nothing changed, then one part's text
      // (a sentence more each time). As many of each as of the first build; the fastest counts.
      const seriesDir = join(contentDir, 'posts', readdirSync(join(contentDir, 'posts')).sort()[0]!);
      const changedFile = readdirSync(seriesDir).sort()[0]!;
      const seconds: Run[] = [];
      const changes: Run[] = [];
      for (let run = 0; run < runs; run++) {
        seconds.push(await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir }));
        appendFileSync(
          join(seriesDir, changedFile),
          `\nEen zin over de ${changeWord} die alleen dit deel heeft (${run + 1}).\n`,
        );
        changes.push(await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir }));
      }
      const second = fastest(seconds);
      const changed = fastest(changes);
      const changedUrl = `/${seriesDir.split('/').at(-1)}/${changedFile.replace(/\.mdx$/, '')}/`;
      const changedPage = readFileSync(join(outDir, 'client', changedUrl, 'index.html'), 'utf8');
      const changeShown = [
        changedPage.includes(changeWord) ? 'page' : 'not in the page',
        searchHas(join(outDir, 'client'), changedUrl, changeWord) ? 'search' : 'not in search',
      ];
      const searchDir = join(outDir, 'client', 'pagefind');
      const searchBytes = statSync(searchDir, { throwIfNoEntry: false }) ? folderBytes(searchDir) : 0;
      // Pagefind indexes the pages once they are written: its time after the last page.
      const indexing = Number(
        /Indexed \d+ articles for search in ([\d.]+) s after the pages/.exec(first.output)?.[1] ?? 0,
      );
      const bareFastest = bare.length > 0 ? fastest(bare) : undefined;
      runNotes.push(
        `${size.toLocaleString('en')} parts: ours ${secondsOf(ours)}${bareFastest ? `; bare ${secondsOf(bare)}` : ''}; second build ${secondsOf(seconds)}, after one changed part ${secondsOf(changes)}.`,
      );
      incrementalRows.push(
        `| ${size.toLocaleString('en')} | ${first.seconds.toFixed(1)} s | ${second.seconds.toFixed(1)} s | ${(second.seconds / first.seconds).toFixed(2)} | ${changed.seconds.toFixed(1)} s | ${(changed.seconds / first.seconds).toFixed(2)} | ${changeShown.join(' and ')} |`,
      );
      for (const [label, run] of [
        ['bare, first build', bareFastest],
        ['first build', first],
        ['second build', second],
        ['one part changed', changed],
      ] as const) {
        if (run) phaseRows.push(`| ${size.toLocaleString('en')} | ${label} | ${phases(run)} |`);
      }

      const ratio = (seconds: number) => (bareFastest ? (seconds / bareFastest.seconds).toFixed(2) : '–');
      rows.push(
        `| ${size.toLocaleString('en')} | ${pages.toLocaleString('en')} | ${first.seconds.toFixed(1)} s | ${((first.seconds / pages) * 1000).toFixed(1)} ms | ${mb(folderBytes(join(outDir, 'client')))} MB | ${searchBytes ? `${mb(searchBytes)} MB` : '–'} | ${indexing.toFixed(1)} s | ${bareFastest ? `${bareFastest.seconds.toFixed(1)} s` : '–'} | ${ratio(first.seconds)} | ${ratio(first.seconds - indexing)} | ${first.peakMb.toFixed(0)} MB | ${bareFastest ? `${bareFastest.peakMb.toFixed(0)} MB` : '–'} | ${bareFastest ? (first.peakMb / bareFastest.peakMb).toFixed(2) : '–'} |`,
      );
      corpusBuilds.set(size, outDir);
      if (size !== Math.max(...sizes)) rmSync(outDir, { recursive: true, force: true });
      rmSync(bareDir, { recursive: true, force: true });
    }

    return `Synthetic Dutch parts of about 700 words (headings, a list, links, the model figure) in series of
3 to 12 parts (\`scripts/bench/corpus.ts\`). "Bare" is Astro 7 + MDX rendering the same files with
nothing else (\`scripts/bench/bare-astro\`). Each build time is the fastest of ${runs} from
scratch (\`--runs\`), ours and bare taking turns; every run is listed below the table. Pagefind
indexes the pages once they are written; "indexing after the pages" is the time that takes
(reading the articles, splitting their compounds, writing the index). Preview images are not part of a build (the server
draws each on its first request, see below).

| parts | pages | build | per page | output | search index | indexing after the pages | bare | ours / bare | without indexing / bare | peak memory | bare's | memory ours / bare |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Every run: ${runNotes.join(' ')}

### Incremental builds

After the first builds, the same corpus is built again with nothing changed, then once more
after a sentence with a word found nowhere else was added to one part (docs/builds.md), both
${runs} times in turn; the fastest of each counts, against the fastest first build.
Targets: second build at most 0.6 of the first, one changed part at most 0.65, with the change
in the page and in search.

| parts | first build | second build, nothing changed | second / first | one part changed | changed / first | the change is in |
| --- | --- | --- | --- | --- | --- | --- |
${incrementalRows.join('\n')}

Where the time goes, from each build's log (bare's first build too): starting and reading the
content, Vite compiling the modules, rendering the pages (or keeping them), and what follows the
pages (the search index, the sitemap, the adapter's server build).

| parts | build | phases |
| --- | --- | --- |
${phaseRows.join('\n')}
`;
  },
};
