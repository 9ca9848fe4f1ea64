import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import {
  finishPublishRun,
  markInterruptedRuns,
  maxErrorLines,
  recordPublishCommit,
  startPublishRun,
} from './publish-runs.ts';
import { readPublishRuns } from './publish-status.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

describe.each(testedDatabases())('the publish runs on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  it('records a publish from its start to its release, with its commit', async () => {
    const id = await startPublishRun(
      db,
      { startedBy: 'hook', requests: 3 },
      new Date('2026-12-08T10:00:00Z'),
    );
    const [running] = await readPublishRuns(db);
    expect(running).toMatchObject({
      id,
      startedBy: 'hook',
      requests: 3,
      result: 'running',
      finishedAt: undefined,
    });

    await recordPublishCommit(db, id, { sha: 'abc123', subject: 'Deel 3 toegevoegd' });
    await finishPublishRun(
      db,
      id,
      { result: 'published', release: '2026-12-08T10-00-00-000Z' },
      new Date('2026-12-08T10:00:25Z'),
    );
    expect(await readPublishRuns(db)).toEqual([
      {
        id,
        startedBy: 'hook',
        requests: 3,
        startedAt: new Date('2026-12-08T10:00:00.000Z'),
        finishedAt: new Date('2026-12-08T10:00:25.000Z'),
        result: 'published',
        commitSha: 'abc123',
        commitSubject: 'Deel 3 toegevoegd',
        release: '2026-12-08T10-00-00-000Z',
        errorLines: undefined,
        parts: [],
      },
    ]);
  });

  it('keeps a failed publish with its error lines, at most a bounded number', async () => {
    const id = await startPublishRun(db, { startedBy: 'timer' });
    const lines = Array.from({ length: maxErrorLines + 10 }, (_, n) => `posts/x.mdx:${n}  title  ontbreekt`);
    await finishPublishRun(db, id, { result: 'failed', errorLines: lines });
    const [failed] = await readPublishRuns(db);
    expect(failed).toMatchObject({ result: 'failed', requests: 1, release: undefined });
    expect(failed!.errorLines).toBe(lines.slice(0, maxErrorLines).join('\n'));
  });

  it('turns runs left running into interrupted ones, and leaves finished ones alone', async () => {
    const done = await startPublishRun(db, { startedBy: 'command' }, new Date('2026-12-08T09:00:00Z'));
    await finishPublishRun(db, done, { result: 'published', release: 'r1' });
    const crashed = await startPublishRun(db, { startedBy: 'hook' }, new Date('2026-12-08T09:30:00Z'));
    expect(await markInterruptedRuns(db)).toBe(1);
    // A publish that ends after all cannot overwrite what the next one found.
    await finishPublishRun(db, crashed, { result: 'published', release: 'r2' });
    const runs = await readPublishRuns(db);
    expect(runs.map((run) => [run.id, run.result])).toEqual([
      [crashed, 'interrupted'],
      [done, 'published'],
    ]);
    expect(runs[0]!.finishedAt).toBeInstanceOf(Date);
    expect(await markInterruptedRuns(db)).toBe(0);
  });

  it('lists the newest first, as many as asked', async () => {
    for (const hour of [1, 3, 2])
      await startPublishRun(db, { startedBy: 'command' }, new Date(`2026-12-08T0${hour}:00:00Z`));
    const runs = await readPublishRuns(db, 2);
    expect(runs.map((run) => run.startedAt.toISOString())).toEqual([
      '2026-12-08T03:00:00.000Z',
      '2026-12-08T02:00:00.000Z',
    ]);
  });
});
