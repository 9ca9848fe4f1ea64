// The report's "Publicaties" (/stats/publicaties/ and its JSON for monitoring): the last publishes
// as the table `publish_runs` keeps them, each with the parts that went live with it, shaped and
// labelled for a person and for a monitor. Plain data in, plain data out: the rows are read by
// src/server/publish-status.ts.
import { formatDutchDateTime } from './dates.ts';

export type PublishTrigger = 'hook' | 'timer' | 'command';
export type PublishResult = 'running' | 'published' | 'failed' | 'interrupted';

/** A part that went live with a publish, as the table `publications` recorded it. */
export interface LivePart {
  series: string;
  seriesTitle: string;
  part: number;
  title: string;
  path: string;
  release: string;
  publishedAt: Date;
}

/** One row of `publish_runs`. */
export interface PublishRunRow {
  id: number;
  startedBy: PublishTrigger;
  /** The pushes folded into this publish (1 for the timer and the command). */
  requests: number;
  startedAt: Date;
  /** Undefined while it runs. */
  finishedAt: Date | undefined;
  result: PublishResult;
  commitSha: string | undefined;
  commitSubject: string | undefined;
  /** The release folder it switched to; none when it failed before. */
  release: string | undefined;
  /** The content check's or the build's lines, as stored (newline-separated). */
  errorLines: string | undefined;
}

export interface PublishRun extends PublishRunRow {
  /** The parts this publish was the first to serve. */
  parts: LivePart[];
}

/** How many error lines the page and the JSON show of a failed publish. */
export const shownErrorLines = 12;

const triggerLabels: Record<PublishTrigger, string> = {
  hook: 'push in de editor',
  timer: 'nachtelijke timer',
  command: 'commando',
};

const resultLabels: Record<PublishResult, string> = {
  running: 'bezig',
  published: 'gepubliceerd',
  failed: 'mislukt',
  interrupted: 'onderbroken',
};

/** "push in de editor", "nachtelijke timer", "commando"; with the pushes folded into one publish. */
export function triggerLabel(trigger: PublishTrigger, requests = 1): string {
  const label = triggerLabels[trigger] ?? trigger;
  return requests > 1 ? `${label} (${requests} pushes samen)` : label;
}

/** "gepubliceerd", "mislukt", "bezig", "onderbroken". */
export const resultLabel = (result: PublishResult): string => resultLabels[result] ?? result;

/** "1 min 12 s", "45 s", "1 u 3 min", "< 1 s". */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return '–';
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 1) return '< 1 s';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} u ${minutes} min` : `${hours} u`;
  if (minutes > 0) return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  return `${rest} s`;
}

/** How long the publish took, or has been running at `now`. */
export const durationOf = (run: Pick<PublishRunRow, 'startedAt' | 'finishedAt'>, now: Date): number =>
  (run.finishedAt ?? now).getTime() - run.startedAt.getTime();

/** The longest error line shown; the rest of a longer one is in the log. */
export const errorLineLength = 300;

// The terminal's colour codes a build may print.
const terminalCodes = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * The first `count` lines that say something, without the terminal's colour codes and cut at
 * `errorLineLength` characters, and how many more there are.
 */
export function firstErrorLines(
  text: string | undefined,
  count = shownErrorLines,
): { lines: string[]; more: number } {
  const lines = (text ?? '')
    .replace(terminalCodes, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => (line.length > errorLineLength ? `${line.slice(0, errorLineLength - 1)}…` : line));
  return { lines: lines.slice(0, count), more: Math.max(0, lines.length - count) };
}

/** "a1b2c3d", the way git shortens a commit. */
export const shortSha = (sha: string) => sha.slice(0, 7);

/** "Digitale transformatie, deel 2: Kansen voor de dienstverlening" */
export const livePartLabel = (part: Pick<LivePart, 'seriesTitle' | 'part' | 'title'>) =>
  `${part.seriesTitle}, deel ${part.part}: ${part.title}`;

/**
 * Each publication to the publish that served it first: the one whose release it names (the
 * server records a part in `publications` when it first serves a release holding it, so its
 * `release` is the folder the publish switched to). A publication whose release no publish names
 * (a server started on a release built by hand, or by another host) goes to a successful publish
 * without a recorded release whose time window holds it; else to none.
 */
export function attributeParts(runs: readonly PublishRunRow[], parts: readonly LivePart[]): PublishRun[] {
  const byRelease = new Map<string, PublishRun>();
  const shaped = runs.map((run): PublishRun => ({ ...run, parts: [] }));
  // The oldest publish that names a release first: a later retry of the same folder gets nothing.
  for (const run of [...shaped].reverse())
    if (run.release && !byRelease.has(run.release)) byRelease.set(run.release, run);
  const windowed = shaped.filter((run) => !run.release && run.result === 'published' && run.finishedAt);
  for (const part of parts) {
    const time = part.publishedAt.getTime();
    const run =
      byRelease.get(part.release) ??
      windowed.find(
        (candidate) => candidate.startedAt.getTime() <= time && time <= candidate.finishedAt!.getTime(),
      );
    run?.parts.push(part);
  }
  for (const run of shaped) run.parts.sort((a, b) => a.series.localeCompare(b.series) || a.part - b.part);
  return shaped;
}

/** A publish as a person reads it on the page. */
export interface PublishRunView {
  id: number;
  startedAt: Date;
  /** "10 mei 2024 om 14:32", on the site's clock. */
  started: string;
  trigger: string;
  commit: { short: string; sha: string; subject: string } | undefined;
  duration: string;
  result: PublishResult;
  resultLabel: string;
  errors: { lines: string[]; more: number };
  parts: { label: string; path: string }[];
}

export function publishRunView(run: PublishRun, now: Date, timeZone: string): PublishRunView {
  const duration = formatDuration(durationOf(run, now));
  return {
    id: run.id,
    startedAt: run.startedAt,
    started: formatDutchDateTime(run.startedAt, timeZone),
    trigger: triggerLabel(run.startedBy, run.requests),
    commit: run.commitSha
      ? { short: shortSha(run.commitSha), sha: run.commitSha, subject: run.commitSubject ?? '' }
      : undefined,
    duration: run.result === 'running' ? `${duration} tot nu` : duration,
    result: run.result,
    resultLabel: resultLabel(run.result),
    errors: firstErrorLines(run.errorLines),
    parts: run.parts.map((part) => ({ label: livePartLabel(part), path: part.path })),
  };
}

/** A publish in the JSON. */
export interface PublishRunJson {
  id: number;
  startedBy: PublishTrigger;
  requests: number;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number;
  result: PublishResult;
  commit: { sha: string; subject: string | null } | null;
  release: string | null;
  errorLines: string[];
  moreErrorLines: number;
  parts: { series: string; part: number; title: string; path: string; publishedAt: string }[];
}

export interface PublishStatusJson {
  generatedAt: string;
  /** False when the last finished publish did not publish (failed, or interrupted). */
  ok: boolean;
  /** The result of the last finished publish; "none" before the first. */
  status: Exclude<PublishResult, 'running'> | 'none';
  /** The newest publish, running or not. */
  last: PublishRunJson | null;
  lastFinished: PublishRunJson | null;
  lastPublished: PublishRunJson | null;
  /** The one running now, if any. */
  running: PublishRunJson | null;
  /** The last publishes, newest first. */
  runs: PublishRunJson[];
}

function runJson(run: PublishRun, now: Date): PublishRunJson {
  const errors = firstErrorLines(run.errorLines);
  return {
    id: run.id,
    startedBy: run.startedBy,
    requests: run.requests,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationSeconds: Math.max(0, Math.round(durationOf(run, now) / 1000)),
    result: run.result,
    commit: run.commitSha ? { sha: run.commitSha, subject: run.commitSubject ?? null } : null,
    release: run.release ?? null,
    errorLines: errors.lines,
    moreErrorLines: errors.more,
    parts: run.parts.map((part) => ({
      series: part.series,
      part: part.part,
      title: part.title,
      path: part.path,
      publishedAt: part.publishedAt.toISOString(),
    })),
  };
}

/** The status for a monitor, from the last publishes, newest first. */
export function publishStatusJson(runs: readonly PublishRun[], now: Date): PublishStatusJson {
  const finished = runs.find((run) => run.result !== 'running');
  const published = runs.find((run) => run.result === 'published');
  const running = runs.find((run) => run.result === 'running');
  const json = (run: PublishRun | undefined) => (run ? runJson(run, now) : null);
  const status = finished ? (finished.result as Exclude<PublishResult, 'running'>) : 'none';
  return {
    generatedAt: now.toISOString(),
    ok: status === 'published' || status === 'none',
    status,
    last: json(runs[0]),
    lastFinished: json(finished),
    lastPublished: json(published),
    running: json(running),
    runs: runs.map((run) => runJson(run, now)),
  };
}

/** The last publishes for the terminal (`npm run stats`): one line each, then its error lines. */
export function publishRunsText(runs: readonly PublishRun[], now: Date, timeZone: string): string {
  if (runs.length === 0) return 'Publicaties: nog geen.';
  const lines = ['Publicaties (de nieuwste eerst):'];
  for (const run of runs) {
    const view = publishRunView(run, now, timeZone);
    const commit = view.commit ? `${view.commit.short} ${view.commit.subject}` : 'commit onbekend';
    const parts = view.parts.length > 0 ? `, live: ${view.parts.map((part) => part.label).join('; ')}` : '';
    lines.push(
      `- ${view.started}  ${view.resultLabel}  ${view.trigger}  ${view.duration}  ${commit}${parts}`,
    );
    for (const line of view.errors.lines) lines.push(`    ${line}`);
    if (view.errors.more > 0) lines.push(`    … en nog ${view.errors.more} regels`);
  }
  return lines.join('\n');
}
