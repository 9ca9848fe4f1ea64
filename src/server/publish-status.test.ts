import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { part } from '../../e2e/fixtures/followers.ts';
import { storePublishRun } from '../../e2e/fixtures/publish-runs.ts';
import type { Database } from './database.ts';
import { recordRelease } from './follow-store.ts';
import { readPublishRuns } from './publish-status.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const at = (iso: string) => new Date(iso);
const release = (db: Database, name: string, parts: number[], now: string) =>
  db.transaction((tx) => recordRelease(tx, { release: name, parts: parts.map(part), now: at(now) }));

describe.each(testedDatabases())('the last publishes on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  it('has none before the first publish', async () => {
    expect(await readPublishRuns(db)).toEqual([]);
  });

  it('reads each publish, newest first, with the parts its release served first', async () => {
    // The first release a server served: part 1, recorded without mail; a nightly publish made it.
    await storePublishRun(db, {
      startedBy: 'timer',
      startedAt: at('2026-03-01T23:05:00Z'),
      finishedAt: at('2026-03-01T23:05:41Z'),
      result: 'published',
      commitSha: '1111111111111111111111111111111111111111',
      commitSubject: 'Deel 1',
      release: '2026-03-01T23-05-00',
    });
    await release(db, '2026-03-01T23-05-00', [1], '2026-03-01T23:05:42Z');
    // A push that broke the content: nothing went live.
    await storePublishRun(db, {
      startedBy: 'hook',
      requests: 3,
      startedAt: at('2026-03-02T09:00:00Z'),
      finishedAt: at('2026-03-02T09:00:20Z'),
      result: 'failed',
      commitSha: '2222222222222222222222222222222222222222',
      commitSubject: 'Deel 2, eerste versie',
      errorLines: 'content/posts/deel-2.mdx: de beschrijving ontbreekt\n\nnpm run check: 1 fout',
    });
    // The fix, from the editor: part 2 went live with its release, part 1 stays with the first.
    await storePublishRun(db, {
      startedBy: 'hook',
      startedAt: at('2026-03-02T09:10:00Z'),
      finishedAt: at('2026-03-02T09:10:25Z'),
      result: 'published',
      commitSha: '3333333333333333333333333333333333333333',
      commitSubject: 'Deel 2: de beschrijving',
      release: '2026-03-02T09-10-00',
    });
    await release(db, '2026-03-02T09-10-00', [1, 2], '2026-03-02T09:10:26Z');
    // A publish by a command that recorded no release: part 3 came in its window.
    await storePublishRun(db, {
      startedBy: 'command',
      startedAt: at('2026-03-03T12:00:00Z'),
      finishedAt: at('2026-03-03T12:01:00Z'),
      result: 'published',
    });
    await release(db, 'by-hand', [1, 2, 3], '2026-03-03T12:00:59Z');
    // One running now.
    await storePublishRun(db, {
      startedBy: 'hook',
      startedAt: at('2026-03-04T08:00:00Z'),
      result: 'running',
    });

    const runs = await readPublishRuns(db);
    expect(
      runs.map((run) => [run.startedBy, run.result, run.commitSubject, run.parts.map((p) => p.part)]),
    ).toEqual([
      ['hook', 'running', undefined, []],
      ['command', 'published', undefined, [3]],
      ['hook', 'published', 'Deel 2: de beschrijving', [2]],
      ['hook', 'failed', 'Deel 2, eerste versie', []],
      ['timer', 'published', 'Deel 1', [1]],
    ]);
    expect(runs[0]).toMatchObject({ finishedAt: undefined, requests: 1, release: undefined });
    expect(runs[3]).toMatchObject({
      requests: 3,
      startedAt: at('2026-03-02T09:00:00Z'),
      finishedAt: at('2026-03-02T09:00:20Z'),
      commitSha: '2222222222222222222222222222222222222222',
      errorLines: 'content/posts/deel-2.mdx: de beschrijving ontbreekt\n\nnpm run check: 1 fout',
    });
    expect(runs[2]!.parts).toEqual([
      {
        series: 'reeks',
        seriesTitle: 'Reeks',
        part: 2,
        title: 'Deel 2',
        path: '/reeks/deel-2/',
        release: '2026-03-02T09-10-00',
        publishedAt: at('2026-03-02T09:10:26Z'),
      },
    ]);
    expect(typeof runs[0]!.id).toBe('number');
  });

  it('reads only the last ones', async () => {
    for (let day = 1; day <= 25; day++)
      await storePublishRun(db, {
        startedBy: 'timer',
        startedAt: at(`2026-03-${String(day).padStart(2, '0')}T23:05:00Z`),
        finishedAt: at(`2026-03-${String(day).padStart(2, '0')}T23:06:00Z`),
        result: 'published',
        release: `r${day}`,
      });
    const runs = await readPublishRuns(db);
    expect(runs).toHaveLength(20);
    expect(runs[0]!.release).toBe('r25');
    expect(runs.at(-1)!.release).toBe('r6');
    expect((await readPublishRuns(db, 2)).map((run) => run.release)).toEqual(['r25', 'r24']);
  });
});
