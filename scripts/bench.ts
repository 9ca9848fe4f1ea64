// `npm run bench`: what the site costs as content grows, next to Astro + MDX alone, and what its
// server costs under load. Prints a Markdown report and writes it to docs/benchmarks.md. Not
// part of `npm test`. Each section is a file in scripts/bench/sections/, run in file-name order.
//
//   npm run bench                       sizes 100 and 1,000 (a few minutes)
//   npm run bench -- --sizes 100,1000,10000 --runs 2    the full run (about 15 minutes)
//   npm run bench -- --only report      one section (or several: --only collector,report),
//                                       replaced in docs/benchmarks.md, the others kept
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { astro, mb, measured, work, type BenchContext, type BenchSection } from './bench/shared.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    'skip-bare': { type: 'boolean', default: false },
    events: { type: 'string', default: '50000' },
    // Builds from scratch per size, ours and bare; the fastest counts.
    runs: { type: 'string', default: '1' },
    only: { type: 'string' },
    out: { type: 'string', default: 'docs/benchmarks.md' },
  },
});

const sectionsDir = join(import.meta.dirname, 'bench', 'sections');
const sections: BenchSection[] = [];
for (const file of readdirSync(sectionsDir)
  .filter((name) => name.endsWith('.ts'))
  .sort())
  sections.push(((await import(join(sectionsDir, file))) as { section: BenchSection }).section);
const only = values.only?.split(',');
const unknown = only?.filter((name) => !sections.some((section) => section.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `Unknown section ${unknown.join(', ')}: choose from ${sections.map((s) => s.name).join(', ')}`,
  );
  process.exit(1);
}
const chosen = sections.filter((section) => !only || only.includes(section.name));

try {
  for (const section of chosen) await section.check?.();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
let siteBuild: Promise<string> | undefined;
const context: BenchContext = {
  options: {
    sizes: values.sizes.split(',').map(Number),
    runs: Number(values.runs),
    skipBare: values['skip-bare'],
    events: Number(values.events),
  },
  corpusBuilds: new Map(),
  // The real content, built once for every section that serves it.
  siteBuild: () =>
    (siteBuild ??= measured([astro, 'build', '--outDir', join(work, 'site')], {}).then((build) => {
      if (build.status !== 0) throw new Error('the build of content/ failed');
      return join(work, 'site');
    })),
};

const command = `npm run bench -- ${only ? `--only ${values.only}` : `--sizes ${values.sizes} --runs ${values.runs}`}`;
const measuredOn = `${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${mb(totalmem())} MB memory, Node ${process.version}`;
const parts: { title: string; body: string }[] = [];
for (const section of chosen) {
  console.error(`\n${section.title}…`);
  const body = await section.run(context);
  parts.push({
    title: section.title,
    body: only ? `Measured by \`${command}\` on ${measuredOn}.\n\n${body}` : body,
  });
}

/** The report's sections by heading: each `## ` heading up to the next. */
const sectionsOf = (markdown: string) =>
  markdown
    .split(/^(?=## )/m)
    .slice(1)
    .map((text) => ({
      title: /^## (.+)/.exec(text)![1]!,
      body: text.replace(/^## .+\n\n/, '').trimEnd() + '\n',
    }));

let report: string;
if (only && existsSync(values.out)) {
  // Only the sections run are replaced; the others keep what the last run measured.
  const previous = readFileSync(values.out, 'utf8');
  const head = previous.split(/^(?=## )/m)[0]!;
  const kept = sectionsOf(previous);
  for (const part of parts) {
    const index = kept.findIndex((section) => section.title === part.title);
    if (index >= 0) kept[index] = part;
    else kept.push(part);
  }
  report = head + kept.map((section) => `## ${section.title}\n\n${section.body}`).join('\n');
} else {
  report = `# Benchmarks\n\nMeasured by \`${command}\` on ${measuredOn}.\n\n${parts.map((part) => `## ${part.title}\n\n${part.body}`).join('\n')}`;
}

mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, report);
console.log(report);
