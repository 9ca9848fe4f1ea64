import { describe, expect, it } from 'vitest';
import { ratio, seriesFunnels, type Report, type Totals } from './report-figures.ts';
import { readableFormat, reportTables, spreadsheetFormat, tableList } from './report-tables.ts';

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
      clicks: 0,
    },
    {
      series: 'reeks',
      seriesTitle: 'Reeks',
      part: 2,
      path: '/reeks/twee/',
      title: 'Twee',
      views: 4,
      readOnIn: 4,
      clicks: 0,
    },
  ]),
  overflow: { sources: { events: 75, days: 2 }, campaigns: { events: 0, days: 0 } },
  newSourcesPerDay: 500,
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
    const series = tableList(report, spreadsheetFormat).at(-1)!;
    expect(series.columns[0]).toBe('Reeks');
    expect(series.rows.map((row) => [row.name.text, ...row.cells])).toEqual([
      ['Reeks', '1: Een', '1', '4', '100,0% (onbetrouwbaar)', '0'],
      ['Reeks', '2: Twee', '4', '', '', '0'],
    ]);
  });
});
