// Reads the report's "Publicaties": the last rows of `publish_runs` (written by the publisher,
// src/server/publish-runs.ts) and the parts `publications` recorded for their releases, on
// SQLite and PostgreSQL alike. What a publish shows is shaped in src/lib/publish-status.ts.
import {
  attributeParts,
  type LivePart,
  type PublishResult,
  type PublishRun,
  type PublishRunRow,
  type PublishTrigger,
} from '../lib/publish-status.ts';
import type { Sql } from './database.ts';

/** How many publishes the page and the JSON show. */
export const publishRunsShown = 20;

interface RunRecord {
  id: number | string;
  started_by: PublishTrigger;
  requests: number | string;
  started_at: string;
  finished_at: string | null;
  result: PublishResult;
  commit_sha: string | null;
  commit_subject: string | null;
  release: string | null;
  error_lines: string | null;
}

interface PartRecord {
  series: string;
  series_title: string;
  part: number | string;
  title: string;
  path: string;
  release: string;
  published_at: string;
}

const runOf = (row: RunRecord): PublishRunRow => ({
  id: Number(row.id),
  startedBy: row.started_by,
  requests: Number(row.requests),
  startedAt: new Date(row.started_at),
  finishedAt: row.finished_at === null ? undefined : new Date(row.finished_at),
  result: row.result,
  commitSha: row.commit_sha ?? undefined,
  commitSubject: row.commit_subject ?? undefined,
  release: row.release ?? undefined,
  errorLines: row.error_lines ?? undefined,
});

const partOf = (row: PartRecord): LivePart => ({
  series: row.series,
  seriesTitle: row.series_title,
  part: Number(row.part),
  title: row.title,
  path: row.path,
  release: row.release,
  publishedAt: new Date(row.published_at),
});

/**
 * The last `limit` publishes, newest first, each with the parts that went live with it: those
 * `publications` recorded for its release or, for a publish that recorded none, in its window.
 */
export async function readPublishRuns(sql: Sql, limit = publishRunsShown): Promise<PublishRun[]> {
  const runs = (
    await sql.all<RunRecord>(
      `SELECT id, started_by, requests, started_at, finished_at, result, commit_sha, commit_subject, release, error_lines
       FROM publish_runs ORDER BY started_at DESC, id DESC LIMIT ?`,
      [Math.max(1, Math.floor(limit))],
    )
  ).map(runOf);
  if (runs.length === 0) return [];
  const releases = [...new Set(runs.flatMap((run) => (run.release ? [run.release] : [])))];
  const windowed = runs.filter((run) => !run.release && run.result === 'published');
  const conditions = [
    ...(releases.length > 0 ? [`release IN (${releases.map(() => '?').join(', ')})`] : []),
    ...(windowed.length > 0 ? ['published_at >= ?'] : []),
  ];
  if (conditions.length === 0) return attributeParts(runs, []);
  const since = windowed.map((run) => run.startedAt.toISOString()).sort()[0];
  const parts = await sql.all<PartRecord>(
    `SELECT series, series_title, part, title, path, release, published_at FROM publications
     WHERE ${conditions.join(' OR ')} ORDER BY published_at, series, part`,
    [...releases, ...(since ? [since] : [])],
  );
  return attributeParts(runs, parts.map(partOf));
}
