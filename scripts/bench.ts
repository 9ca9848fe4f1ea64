// `npm run bench`: what the site costs as content grows, next to Astro + MDX alone.
// Prints a Markdown report and writes it to docs/benchmarks.md. Not part of `npm test`.
//
//   npm run bench                       sizes 100 and 1,000 (a few minutes)
//   npm run bench -- --sizes 100,1000,10000    the full run (see docs/benchmarks.md for its duration)
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus } from './bench/corpus.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    'skip-bare': { type: 'boolean', default: false },
    out: { type: 'string', default: 'docs/benchmarks.md' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const work = join('node_modules', '.cache', 'bench');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

interface Run {
  seconds: number;
  peakMb: number;
  status: number | null;
}

/** Runs a command, sampling the peak resident memory of its process tree from /proc. */
function measured(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    let peakKb = 0;
    const treeRss = (pid: number): number => {
      try {
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
        return rss + children.reduce((sum, child) => sum + treeRss(Number(child)), 0);
      } catch {
        return 0;
      }
    };
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRss(child.pid!))), 100);
    child.on('exit', (status) => {
      clearInterval(sampler);
      resolve({ seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024, status });
    });
  });
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, file) => {
    const stat = statSync(join(dir, file));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
}

const pagesIn = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html')).length;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const astro = 'node_modules/astro/bin/astro.mjs';

const rows: string[] = [];
for (const size of sizes) {
  const contentDir = join(process.cwd(), work, `content-${size}`);
  const corpus = writeCorpus(contentDir, size);
  console.error(`\n${size} parts in ${corpus.series} series: building…`);

  const outDir = join(work, `ours-${size}`);
  const first = await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir });
  if (first.status !== 0) {
    rows.push(`| ${size} | build failed (exit ${first.status}, peak ${first.peakMb.toFixed(0)} MB) | | | | | | | |`);
    continue;
  }
  const pages = pagesIn(join(outDir, 'client'));
  const second = await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir });
  const searchDir = join(outDir, 'client', 'pagefind');
  const searchBytes = statSync(searchDir, { throwIfNoEntry: false }) ? folderBytes(searchDir) : 0;

  let bare: Run | undefined;
  if (!values['skip-bare']) {
    const root = join(work, 'bare');
    cpSync('scripts/bench/bare-astro', root, { recursive: true });
    bare = await measured([astro, 'build', '--root', root, '--outDir', join(process.cwd(), work, `bare-${size}`)], { CONTENT_DIR: contentDir });
  }

  rows.push(
    `| ${size.toLocaleString('en')} | ${pages.toLocaleString('en')} | ${first.seconds.toFixed(1)} s | ${((first.seconds / pages) * 1000).toFixed(1)} ms | ${second.seconds.toFixed(1)} s | ${first.peakMb.toFixed(0)} MB | ${mb(folderBytes(join(outDir, 'client')))} MB | ${searchBytes ? `${mb(searchBytes)} MB` : '–'} | ${bare ? `${bare.seconds.toFixed(1)} s` : '–'} | ${bare ? (first.seconds / bare.seconds).toFixed(2) : '–'} |`,
  );
  rmSync(outDir, { recursive: true, force: true });
  rmSync(join(work, `bare-${size}`), { recursive: true, force: true });
}

const report = `# Benchmarks

Measured by \`npm run bench -- --sizes ${values.sizes}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${mb(totalmem())} MB memory, Node ${process.version}.

## Build

Synthetic Dutch parts of about 700 words (headings, a list, links, the model figure) in series of
3 to 12 parts (\`scripts/bench/corpus.ts\`). "Bare" is Astro 7 + MDX rendering the same files with
nothing else (\`scripts/bench/bare-astro\`). The second build reuses the caches (Open Graph images).

| parts | pages | build | per page | second build | peak memory | output | search index | bare | ours / bare |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;

mkdirSync('docs', { recursive: true });
writeFileSync(values.out, report);
console.log(report);
