import { describe, expect, it } from 'vitest';
import {
  attributeParts,
  firstErrorLines,
  formatDuration,
  type LivePart,
  publishRunView,
  publishRunsText,
  publishStatusJson,
  type PublishRunRow,
  resultLabel,
  triggerLabel,
} from './publish-status.ts';

const at = (iso: string) => new Date(iso);

const run = (fields: Partial<PublishRunRow> & Pick<PublishRunRow, 'id' | 'startedAt'>): PublishRunRow => ({
  startedBy: 'hook',
  requests: 1,
  finishedAt: undefined,
  result: 'running',
  commitSha: undefined,
  commitSubject: undefined,
  release: undefined,
  errorLines: undefined,
  ...fields,
});

const part = (number: number, release: string, publishedAt: string): LivePart => ({
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: number,
  title: `Deel ${number}`,
  path: `/reeks/deel-${number}/`,
  release,
  publishedAt: at(publishedAt),
});

describe('formatDuration', () => {
  it('writes minutes and seconds the Dutch way', () => {
    expect(formatDuration(72_000)).toBe('1 min 12 s');
    expect(formatDuration(45_400)).toBe('45 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(3_780_000)).toBe('1 u 3 min');
    expect(formatDuration(7_200_000)).toBe('2 u');
    expect(formatDuration(300)).toBe('< 1 s');
    expect(formatDuration(-5)).toBe('–');
  });
});

describe('labels', () => {
  it('names the trigger and the result in Dutch', () => {
    expect(triggerLabel('hook')).toBe('push in de editor');
    expect(triggerLabel('timer')).toBe('nachtelijke timer');
    expect(triggerLabel('command')).toBe('commando');
    expect(triggerLabel('hook', 3)).toBe('push in de editor (3 pushes samen)');
    expect(resultLabel('published')).toBe('gepubliceerd');
    expect(resultLabel('failed')).toBe('mislukt');
    expect(resultLabel('running')).toBe('bezig');
    expect(resultLabel('interrupted')).toBe('onderbroken');
  });
});

describe('firstErrorLines', () => {
  it('keeps the first lines that say something and counts the rest', () => {
    expect(firstErrorLines('een\n\n  \ntwee\r\ndrie\nvier', 2)).toEqual({ lines: ['een', 'twee'], more: 2 });
    expect(firstErrorLines(undefined)).toEqual({ lines: [], more: 0 });
  });

  it('drops the colour codes a terminal build prints, and cuts a very long line', () => {
    expect(firstErrorLines('\u001b[31mfout\u001b[39m in \u001b[1mdeel-2.mdx\u001b[22m').lines).toEqual([
      'fout in deel-2.mdx',
    ]);
    const [line] = firstErrorLines('x'.repeat(1000)).lines;
    expect(line).toHaveLength(300);
    expect(line!.endsWith('…')).toBe(true);
  });
});

describe('attributeParts', () => {
  it('gives each part to the publish whose release first served it, else to the one whose window holds it', () => {
    const runs = [
      run({ id: 4, startedAt: at('2024-05-04T10:00:00Z'), result: 'running' }),
      run({
        id: 3,
        startedAt: at('2024-05-03T10:00:00Z'),
        finishedAt: at('2024-05-03T10:01:00Z'),
        result: 'published',
      }),
      run({
        id: 2,
        startedAt: at('2024-05-02T10:00:00Z'),
        finishedAt: at('2024-05-02T10:00:40Z'),
        result: 'failed',
      }),
      run({
        id: 1,
        startedAt: at('2024-05-01T10:00:00Z'),
        finishedAt: at('2024-05-01T10:00:30Z'),
        result: 'published',
        release: 'r1',
      }),
    ];
    const parts = [
      part(2, 'r1', '2024-05-01T10:00:31Z'),
      part(1, 'r1', '2024-05-01T10:00:31Z'),
      part(3, 'r-by-hand', '2024-05-03T10:00:50Z'),
      part(4, 'r-elsewhere', '2024-05-06T00:00:00Z'),
    ];
    const attributed = attributeParts(runs, parts);
    expect(attributed.map((r) => [r.id, r.parts.map((p) => p.part)])).toEqual([
      [4, []],
      [3, [3]],
      [2, []],
      [1, [1, 2]],
    ]);
  });
});

describe('the page and the JSON', () => {
  const now = at('2024-05-04T10:00:30Z');
  const runs = attributeParts(
    [
      run({ id: 3, startedAt: at('2024-05-04T10:00:00Z') }),
      run({
        id: 2,
        startedBy: 'timer',
        startedAt: at('2024-05-03T22:05:00Z'),
        finishedAt: at('2024-05-03T22:06:12Z'),
        result: 'failed',
        commitSha: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
        commitSubject: 'Deel 3 toegevoegd',
        errorLines: 'content/posts/deel-3.mdx: de datum ontbreekt\nnpm run check: 1 fout',
      }),
      run({
        id: 1,
        startedBy: 'command',
        startedAt: at('2024-05-01T10:00:00Z'),
        finishedAt: at('2024-05-01T10:00:30Z'),
        result: 'published',
        release: 'r1',
        commitSha: 'ffffffffffffffffffffffffffffffffffffffff',
        commitSubject: 'Deel 2',
      }),
    ],
    [part(2, 'r1', '2024-05-01T10:00:31Z')],
  );

  it('shows a publish on the site clock, with its commit, duration, result and errors', () => {
    const view = publishRunView(runs[1]!, now, 'Europe/Amsterdam');
    expect(view).toMatchObject({
      started: '4 mei 2024 om 00:05',
      trigger: 'nachtelijke timer',
      commit: { short: 'a1b2c3d', subject: 'Deel 3 toegevoegd' },
      duration: '1 min 12 s',
      resultLabel: 'mislukt',
      errors: { lines: ['content/posts/deel-3.mdx: de datum ontbreekt', 'npm run check: 1 fout'], more: 0 },
      parts: [],
    });
    expect(publishRunView(runs[0]!, now, 'Europe/Amsterdam').duration).toBe('30 s tot nu');
    expect(publishRunView(runs[2]!, now, 'Europe/Amsterdam').parts).toEqual([
      { label: 'Reeks, deel 2: Deel 2', path: '/reeks/deel-2/' },
    ]);
  });

  it('tells a monitor that the last finished publish failed, and which one published last', () => {
    const status = publishStatusJson(runs, now);
    expect(status).toMatchObject({ ok: false, status: 'failed' });
    expect(status.last).toMatchObject({ id: 3, result: 'running', finishedAt: null, durationSeconds: 30 });
    expect(status.running?.id).toBe(3);
    expect(status.lastFinished).toMatchObject({
      id: 2,
      startedBy: 'timer',
      durationSeconds: 72,
      errorLines: ['content/posts/deel-3.mdx: de datum ontbreekt', 'npm run check: 1 fout'],
      commit: { sha: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0', subject: 'Deel 3 toegevoegd' },
    });
    expect(status.lastPublished).toMatchObject({
      id: 1,
      release: 'r1',
      parts: [{ series: 'reeks', part: 2, path: '/reeks/deel-2/', publishedAt: '2024-05-01T10:00:31.000Z' }],
    });
    expect(status.runs.map((r) => r.id)).toEqual([3, 2, 1]);
  });

  it('is ok after a publish that went through, and before the first', () => {
    expect(publishStatusJson(runs.slice(2), now)).toMatchObject({ ok: true, status: 'published' });
    expect(publishStatusJson([], now)).toMatchObject({
      ok: true,
      status: 'none',
      last: null,
      lastPublished: null,
      runs: [],
    });
  });
});

describe('publishRunsText', () => {
  it('prints a line per publish for the terminal, with its error lines below it', () => {
    const runs = attributeParts(
      [
        run({
          id: 2,
          startedAt: at('2024-05-03T22:05:00Z'),
          finishedAt: at('2024-05-03T22:05:20Z'),
          result: 'failed',
          commitSha: 'a1b2c3d4e5',
          commitSubject: 'Deel 3',
          errorLines: 'een\ntwee',
        }),
        run({
          id: 1,
          startedBy: 'timer',
          startedAt: at('2024-05-01T10:00:00Z'),
          finishedAt: at('2024-05-01T10:01:12Z'),
          result: 'published',
          release: 'r1',
        }),
      ],
      [part(2, 'r1', '2024-05-01T10:01:13Z')],
    );
    expect(publishRunsText(runs, at('2024-05-04T00:00:00Z'), 'Europe/Amsterdam')).toBe(
      [
        'Publicaties (de nieuwste eerst):',
        '- 4 mei 2024 om 00:05  mislukt  push in de editor  20 s  a1b2c3d Deel 3',
        '    een',
        '    twee',
        '- 1 mei 2024 om 12:00  gepubliceerd  nachtelijke timer  1 min 12 s  commit onbekend, live: Reeks, deel 2: Deel 2',
      ].join('\n'),
    );
    expect(publishRunsText([], new Date(), 'Europe/Amsterdam')).toBe('Publicaties: nog geen.');
  });
});
