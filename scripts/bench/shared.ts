// What the sections of `npm run bench` (scripts/bench/sections/) share: the work folder, running
// a build with its peak memory, sizes of folders, and the context one section leaves for the
// next (the builds of the corpus, the build of the real content).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

export const work = join('node_modules', '.cache', 'bench');
export const astro = 'node_modules/astro/bin/astro.mjs';

export interface BenchOptions {
  sizes: number[];
  /** Builds from scratch per size, ours and bare; the fastest counts. */
  runs: number;
  skipBare: boolean;
  /** Events the collector is sent. */
  events: number;
}

export interface BenchContext {
  options: BenchOptions;
  /** The corpus builds the builds section made, by size, for the search section. */
  corpusBuilds: Map<number, string>;
  /** The real content/ built once, for the sections that serve it; built on first use. */
  siteBuild: () => Promise<string>;
}

/**
 * One part of the report: a file in scripts/bench/sections/, run in the order of the file names.
 * Adding a section is adding its file.
 */
export interface BenchSection {
  /** The name `--only` takes. */
  name: string;
  /** The section's heading in docs/benchmarks.md (without "## "). */
  title: string;
  /** Checked for every section before any runs, so a missing tool stops the run at once. */
  check?: () => Promise<void>;
  /** Measures, and returns the section's Markdown below its heading. */
  run: (context: BenchContext) => Promise<string>;
}

export interface Run {
  seconds: number;
  peakMb: number;
  status: number | null;
  output: string;
  /** Each line of the output with the moment it came, in seconds from the start. */
  lines: { at: number; text: string }[];
}

/** Runs a command, sampling the peak resident memory of its process tree from /proc. */
export function measured(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const lines: Run['lines'] = [];
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const at = (performance.now() - started) / 1000;
      for (const text of String(chunk).split('\n')) if (text.trim()) lines.push({ at, text });
    });
    let peakKb = 0;
    const treeRss = (pid: number): number => {
      try {
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean);
        return rss + children.reduce((sum, child) => sum + treeRss(Number(child)), 0);
      } catch {
        return 0;
      }
    };
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRss(child.pid!))), 100);
    child.on('exit', (status) => {
      clearInterval(sampler);
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakMb: peakKb / 1024,
        status,
        output,
        lines,
      });
    });
  });
}

export function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, file) => {
    const stat = statSync(join(dir, file));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
}

export const pagesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html')).length;
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Debian's Chromium where it is installed, else Playwright's own browser. */
export const launchBrowser = () =>
  chromium.launch({
    executablePath: statSync('/usr/bin/chromium', { throwIfNoEntry: false })
      ? '/usr/bin/chromium'
      : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
