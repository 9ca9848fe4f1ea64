// The table of publishes (`publish_runs`, schema step 8): one row per publish, whoever started it
// (the push hook, the nightly timer, `npm run publish` by hand), written by the publish command
// (scripts/publish.ts) as it begins and as it ends, and read by the report's "Publicaties"
// (src/server/publish-status.ts). On
// SQLite or PostgreSQL alike (src/server/database.ts).
//
// A row stays 'running' only while its publish runs: one that a crash (or a kill) stopped before it
// could write its end becomes 'interrupted' when the next publish begins, which holds the publish
// lock (src/server/publish-release.ts), so no row of a publish still running is touched.
import type { PublishTrigger } from '../lib/publish-status.ts';
import type { Sql } from './database.ts';

/** Error lines kept per run: enough for the report and the operator's mail, never a whole log. */
export const maxErrorLines = 50;
const maxLineLength = 500;

const iso = (time: Date) => time.toISOString();

/** Records a publish that begins now; returns its id. */
export async function startPublishRun(
  sql: Sql,
  run: { startedBy: PublishTrigger; requests?: number },
  now = new Date(),
): Promise<number> {
  const row = await sql.get<{ id: number | string }>(
    `INSERT INTO publish_runs (started_by, requests, started_at, result) VALUES (?, ?, ?, 'running') RETURNING id`,
    [run.startedBy, Math.max(1, Math.floor(run.requests ?? 1)), iso(now)],
  );
  return Number(row!.id);
}

/** The commit a publish built, once it is known (after the fetch, before the build). */
export async function recordPublishCommit(
  sql: Sql,
  id: number,
  commit: { sha: string; subject: string },
): Promise<void> {
  await sql.run('UPDATE publish_runs SET commit_sha = ?, commit_subject = ? WHERE id = ?', [
    commit.sha,
    commit.subject.slice(0, maxLineLength),
    id,
  ]);
}

/** Records how a publish ended. Only a row still 'running' changes. */
export async function finishPublishRun(
  sql: Sql,
  id: number,
  end:
    | { result: 'published'; release: string }
    | { result: 'failed'; errorLines: readonly string[]; release?: undefined },
  now = new Date(),
): Promise<void> {
  const lines =
    end.result === 'failed'
      ? end.errorLines
          .slice(0, maxErrorLines)
          .map((line) => line.slice(0, maxLineLength))
          .join('\n')
      : null;
  await sql.run(
    `UPDATE publish_runs SET result = ?, finished_at = ?, release = ?, error_lines = ?
     WHERE id = ? AND result = 'running'`,
    [end.result, iso(now), end.release ?? null, lines, id],
  );
}

/**
 * Marks every row still 'running' as 'interrupted': called by a publish that holds the publish
 * lock, so none of them is running. Returns how many there were.
 */
export async function markInterruptedRuns(sql: Sql, now = new Date()): Promise<number> {
  const { changes } = await sql.run(
    `UPDATE publish_runs SET result = 'interrupted', finished_at = ? WHERE result = 'running'`,
    [iso(now)],
  );
  return changes;
}
