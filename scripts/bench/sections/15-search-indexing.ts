// The search index built while the pages render (src/integrations/page-indexer.ts, the default)
// against the plain way, once they are written (src/integrations/search-index/after-build.ts,
// `REEKS_SEARCH_INDEXING=after-build`): the first build and the build after one changed part. The
// streaming indexer is kept only while it saves at least a tenth of one of them at 1,000 parts
// (docs/builds.md).
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCacheDir } from '../../../src/site.config.ts';
import { writeCorpus } from '../corpus.ts';
import { astro, measured, work, type BenchSection, type Run } from '../shared.ts';
import { changeWord, searchHas } from './10-builds.ts';

const variants = ['streaming', 'after-build'] as const;
type Variant = (typeof variants)[number];

/** Other work on the machine only ever makes a build slower: the fastest run is closest to its own cost. */
const fastest = (runs: Run[]) => Math.min(...runs.map((run) => run.seconds));
const listed = (runs: Run[]) => runs.map((run) => run.seconds.toFixed(1)).join(', ');

/** What search adds after the last page, from the build's log. */
const afterPages = (run: Run) =>
  Number(
    /Indexed \d+ articles for search in [\d.]+ s, of which ([\d.]+) s after the pages/.exec(run.output)?.[1],
  );

export const section: BenchSection = {
  name: 'search-indexing',
  title: 'Search index: streaming or after the build',
  async run({ options }) {
    const { sizes, runs } = options;
    const rows: string[] = [];
    const notes: string[] = [];
    for (const size of sizes) {
      // A corpus of its own per variant (the same parts): each has its own build cache.
      const setup = Object.fromEntries(
        variants.map((variant) => {
          const contentDir = join(process.cwd(), work, `indexing-${variant}-${size}`);
          writeCorpus(contentDir, size);
          const seriesDir = join(contentDir, 'posts', readdirSync(join(contentDir, 'posts')).sort()[0]!);
          const changedFile = readdirSync(seriesDir).sort()[0]!;
          return [
            variant,
            {
              contentDir,
              outDir: join(work, `indexing-${variant}-${size}-out`),
              changed: join(seriesDir, changedFile),
              url: `/${seriesDir.split('/').at(-1)}/${changedFile.replace(/\.mdx$/, '')}/`,
            },
          ];
        }),
      ) as Record<Variant, { contentDir: string; outDir: string; changed: string; url: string }>;
      const first = { streaming: [] as Run[], 'after-build': [] as Run[] };
      const changed = { streaming: [] as Run[], 'after-build': [] as Run[] };
      const build = (variant: Variant) =>
        measured([astro, 'build', '--outDir', setup[variant].outDir], {
          CONTENT_DIR: setup[variant].contentDir,
          REEKS_SEARCH_INDEXING: variant,
        });
      console.error(`\n${size} parts: search indexing, streaming and after the build in turn…`);
      // The variants take turns, so that both meet the same moments of a busy machine: a first
      // build from scratch, then one sentence more in one part and a build of that.
      for (let run = 0; run < runs; run++) {
        for (const variant of variants) {
          rmSync(setup[variant].outDir, { recursive: true, force: true });
          rmSync(buildCacheDir(setup[variant].contentDir), { recursive: true, force: true });
          first[variant].push(await build(variant));
        }
        for (const variant of variants) {
          appendFileSync(setup[variant].changed, `\nEen zin over de ${changeWord} (${run + 1}).\n`);
          changed[variant].push(await build(variant));
        }
      }
      for (const variant of variants) {
        const failed = [...first[variant], ...changed[variant]].find((run) => run.status !== 0);
        if (failed) {
          rows.push(
            `| ${size.toLocaleString('en')} | ${variant} | build failed (exit ${failed.status}) | | | | |`,
          );
          continue;
        }
        const { outDir, url } = setup[variant];
        const found = searchHas(join(outDir, 'client'), url, changeWord) ? 'yes' : 'no';
        rows.push(
          `| ${size.toLocaleString('en')} | ${variant} | ${fastest(first[variant]).toFixed(1)} s | ${Math.min(...first[variant].map(afterPages)).toFixed(1)} s | ${fastest(changed[variant]).toFixed(1)} s | ${Math.min(...changed[variant].map(afterPages)).toFixed(1)} s | ${found} |`,
        );
        notes.push(
          `${size.toLocaleString('en')} parts, ${variant}: first ${listed(first[variant])} s; one changed part ${listed(changed[variant])} s.`,
        );
      }
      for (const variant of variants) {
        rmSync(setup[variant].outDir, { recursive: true, force: true });
        rmSync(buildCacheDir(setup[variant].contentDir), { recursive: true, force: true });
      }
    }
    const saving = (size: number, column: 2 | 4) => {
      const [streaming, afterBuild] = variants.map((variant) =>
        parseFloat(
          rows.find((row) => row.startsWith(`| ${size.toLocaleString('en')} | ${variant} |`))?.split('|')[
            column + 1
          ] ?? '',
        ),
      );
      return streaming && afterBuild
        ? `${(((afterBuild - streaming) / afterBuild) * 100).toFixed(0)} %`
        : '–';
    };
    return `Ours, built the two ways in turn on the same corpus (a copy per way, each with its own build
cache): "streaming" indexes each page while the next ones render (the default), "after-build"
reads every page from the output once they are written, as Starlight does. Each time is the fastest
of ${runs} (\`--runs\`): a first build from scratch, then a build after a sentence with a word found
nowhere else was added to one part. "After the pages" is what search adds after the last page.

| parts | indexing | first build | after the pages | one part changed | after the pages | the change in search |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

What streaming saves against after-build: ${sizes.map((size) => `${size.toLocaleString('en')} parts: first build ${saving(size, 2)}, one changed part ${saving(size, 4)}`).join('; ')}.

Every run: ${notes.join(' ')}
`;
  },
};
