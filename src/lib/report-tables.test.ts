import { describe, expect, it } from 'vitest';
import { ratio, seriesFunnels, type Report, type Totals } from './report-figures.ts';
import { readableFormat, reportTables, spreadsheetFormat, tableList } from './report-tables.ts';
import { sectionFunnel } from './section-funnel.ts';

const totals = (views: number, clicks: number, contactViews = 0): Totals => ({
  views,
  clicks,
  contactViews,
  messages: 0,
  ctr: ratio(clicks, views),
  seenCtr: ratio(clicks, contactViews),
});

const report: Report = {
  period: { days: 7, from: '2024-05-04', to: '2024-05-10' },
  totals: totals(1200, 30, 10),
  before: { period: { days: 7, from: '2024-04-27', to: '2024-05-03' }, totals: totals(1000, 10) },
  pages: [
    {
      path: '/reeks/een/',
      kind: 'part',
      title: 'Een',
      series: 'reeks',
      seriesTitle: 'Reeks',
      part: 1,
      views: 1200,
      contactViews: 10,
      clicks: 30,
      ctr: ratio(30, 1200),
      seenCtr: ratio(30, 10),
      clicksByChannel: { email: 30, phone: 0, linkedin: 0, message: 0 },
    },
  ],
  channels: [{ channel: 'email', name: 'E-mail', views: 1200, clicks: 30, ctr: ratio(30, 1200) }],
  daily: [{ day: '2024-05-10', views: 1200, clicks: 30 }],
  sources: [],
  bySource: [
    { name: 'linkedin', views: 1000, contactViews: 5, clicks: 20, ctr: ratio(20, 1000) },
    { name: 'overige', views: 200, contactViews: 5, clicks: 10, ctr: ratio(10, 200), others: 1234 },
  ],
  byCampaign: [],
  series: seriesFunnels([
    {
      series: 'reeks',
      seriesTitle: 'Reeks',
      part: 1,
      path: '/reeks/een/',
      title: 'Een',
      views: 1,
      readOnIn: 0,
      contactViews: 1,
      clicks: 0,
      follows: 2,
    },
    {
      series: 'reeks',
      seriesTitle: 'Reeks',
      part: 2,
      path: '/reeks/twee/',
      title: 'Twee',
      views: 4,
      readOnIn: 4,
      contactViews: 3,
      clicks: 0,
      follows: 0,
    },
  ]),
  follow: [
    {
      series: 'reeks',
      title: 'Reeks',
      followers: 1204,
      failing: 3,
      requested: 40,
      confirmed: 30,
      unsubscribed: 2,
      confirmedShare: ratio(30, 40),
      parts: [
        { part: 2, path: '/reeks/twee/', title: 'Twee', sent: 1180, failed: 3, inDoubt: 1, pending: 20 },
      ],
    },
  ],
  overflow: { sources: { events: 75, days: 2 }, campaigns: { events: 0, days: 0 } },
  newSourcesPerDay: 500,
  sectionFunnels: [],
};

describe('the report tables', () => {
  const tables = reportTables(report, readableFormat);

  it('gives every table a caption of words, spaces kept', () => {
    expect(tables.days.caption).toBe('Weergaven en contactklikken per dag');
    for (const table of tableList(report, readableFormat)) expect(table.caption).toMatch(/^\S+( \S+)+$/);
  });

  it('names the page a row is about, and the day of a row for <time>', () => {
    expect(tables.pages.rows[0]!.name).toEqual({ text: 'Reeks, deel 1: Een', href: '/reeks/een/' });
    expect(tables.days.rows[0]!.name).toEqual({ text: '10 mei 2024', day: '2024-05-10' });
    expect(reportTables(report, spreadsheetFormat).days.rows[0]!.name.text).toBe('2024-05-10');
  });

  it('writes counts with thousands separators for people, plain for spreadsheets', () => {
    expect(tables.pages.footer!.cells.slice(0, 3)).toEqual(['1.200', '10', '30']);
    expect(reportTables(report, spreadsheetFormat).pages.footer!.cells.slice(0, 3)).toEqual([
      '1200',
      '10',
      '30',
    ]);
  });

  it('marks a ratio whose counts do not add up in words, capped at 100%, and explains it below', () => {
    expect(tables.pages.rows[0]!.cells[4]).toBe('100,0% (onbetrouwbaar)');
    expect(tables.pages.notes.join(' ')).toContain('de tellingen kloppen niet');
    expect(tables.series[0]!.rows.map((row) => row.cells[2])).toEqual(['100,0% (onbetrouwbaar)', '–']);
    expect(tables.channels.notes.join(' ')).not.toContain('onbetrouwbaar');
  });

  it('sums the rest as "overige", says how many it holds and why', () => {
    expect(tables.sources.rows.at(-1)!.name.text).toBe('overige (1.234 bronnen)');
    expect(tables.sources.notes).toContain(
      'De 1 bronnen met de meeste weergaven staan apart; de rest staat onder "overige".',
    );
    expect(tables.sources.notes).toContain(
      'Op 2 dagen kwamen meer dan 500 nieuwe bronnen binnen: 75 meldingen met een nieuwe daarboven staan onder "overige".',
    );
  });

  it('joins the series into one table with a column for the series, for the terminal and the CSV', () => {
    const series = tableList(report, spreadsheetFormat).find((table) => table.key === 'series')!;
    expect(series.columns[0]).toBe('Reeks');
    expect(series.rows.map((row) => [row.name.text, ...row.cells])).toEqual([
      ['Reeks', '1: Een', '1', '4', '100,0% (onbetrouwbaar)', '1', '0', '2'],
      ['Reeks', '2: Twee', '4', '', '', '3', '0', '0'],
    ]);
    expect(series.columns.slice(-3)).toEqual(['Uitnodiging gezien', 'Contactklikken', 'Volgen']);
  });

  it('counts following per series and the mails per new part, with failing addresses as a number', () => {
    expect(tables.follow.columns).toEqual([
      'Reeks',
      'Volgers nu',
      'Aanvragen',
      'Bevestigd',
      'Bevestigd per aanvraag',
      'Afgemeld',
      'Adressen die mislukken',
    ]);
    expect(tables.follow.rows).toEqual([
      { name: { text: 'Reeks' }, cells: ['1.204', '40', '30', '75,0%', '2', '3'] },
    ]);
    // One series: no totals row that repeats it.
    expect(tables.follow.footer).toBeUndefined();
    expect(tables.mails.rows).toEqual([
      {
        name: { text: 'Reeks, deel 2: Twee', href: '/reeks/twee/' },
        cells: ['1.180', '3', '1', '20'],
      },
    ]);
    const list = tableList(report, spreadsheetFormat);
    expect(list.slice(-2).map((table) => table.key)).toEqual(['volgen', 'mails-per-deel']);
    expect(list.at(-2)!.rows[0]!.cells).toEqual(['1204', '40', '30', '75,0%', '2', '3']);
  });

  it('sums the series of following in a totals row, its share from the sums', () => {
    const two = reportTables(
      {
        ...report,
        follow: [
          ...report.follow,
          {
            ...report.follow[0]!,
            series: 'b',
            title: 'B',
            requested: 10,
            confirmed: 0,
            confirmedShare: ratio(0, 10),
            parts: [],
          },
        ],
      },
      readableFormat,
    );
    expect(two.follow.footer).toEqual({
      name: { text: 'Totaal' },
      cells: ['2.408', '50', '30', '60,0%', '4', '6'],
    });
  });

  it('says so when nobody follows and no part was mailed yet', () => {
    const none = reportTables({ ...report, follow: [] }, readableFormat);
    expect(none.follow.rows).toEqual([]);
    expect(none.follow.empty).toMatch(/^Nog niemand volgt/);
    expect(none.mails.empty).toMatch(/^Er is nog geen deel verschenen/);
  });
});

describe('the reading-depth tables', () => {
  const funnel = sectionFunnel({
    path: '/reeks/een/',
    title: 'Een',
    series: 'reeks',
    seriesTitle: 'Reeks',
    part: 1,
    sections: [
      { id: 'a', title: 'Alfa' },
      { id: 'b', title: 'Bravo' },
    ],
    views: 1200,
    byFurthest: new Map([
      [1, 300],
      [2, 900],
      // More records than views (forged or lost page views): shares stop at 100%.
      [0, 100],
    ]),
    endReached: 600,
    engaged: new Map([['1-3m', 1300]]),
    contactViews: 10,
    contacts: 3,
  });
  const withDepth: Report = { ...report, sectionFunnels: [funnel] };

  it('gives each part a step per row, its share of the views, and the views without a depth record', () => {
    const [table] = reportTables(withDepth, readableFormat).sections;
    expect(table!.title).toBe('Reeks, deel 1: Een');
    expect(table!.rows.map((row) => [row.name.text, ...row.cells])).toEqual([
      ['Weergaven', '1.200', '100,0%'],
      ['Alfa', '1.200', '100,0%'],
      ['Bravo', '900', '75,0%'],
      ['Einde van het artikel', '600', '50,0%'],
      ['Uitnodiging gezien', '10', '0,8%'],
      ['Contact of volgen', '3', '0,3%'],
    ]);
    expect(table!.notes).toEqual([
      'Reeks, deel 1: Een: 0 van de 1.200 weergaven zonder melding van leesdiepte.',
      'Reeks, deel 1: Een: de grootste uitval is voor "Bravo", van 1.200 naar 900 (alleen bij delen met minstens 20 weergaven).',
    ]);
  });

  it('joins the parts into one table for the terminal and the CSV, and puts engaged time in its own, no averages', () => {
    const list = tableList(withDepth, spreadsheetFormat);
    const depth = list.find((table) => table.key === 'leesdiepte')!;
    expect(depth.rows[2]!.cells).toEqual(['Bravo', '900', '75,0%']);
    expect(depth.rows[2]!.name.text).toBe('Reeks, deel 1: Een');
    expect(depth.notes.join(' ')).toContain('weergaven min meldingen');
    const engaged = list.find((table) => table.key === 'leestijd')!;
    expect(engaged.columns).toEqual([
      'Deel',
      'Met leesdiepte',
      'minder dan 10 s',
      '10–30 s',
      '30 s–1 min',
      '1–3 min',
      '3–10 min',
      'meer dan 10 min',
    ]);
    expect(engaged.rows[0]!.cells).toEqual(['1300', '0', '0', '0', '1300', '0', '0']);
  });

  it('says so when no part had views', () => {
    const list = tableList(report, readableFormat);
    expect(list.find((table) => table.key === 'leesdiepte')!.empty).toBe(
      'In deze periode had geen deel weergaven.',
    );
    expect(list.find((table) => table.key === 'leestijd')!.rows).toEqual([]);
  });
});
