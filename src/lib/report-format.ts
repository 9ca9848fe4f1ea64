// The report's figures as Dutch text: numbers and percentages, the CSV export and the table
// `npm run stats` prints. The HTML report (src/pages/stats/) uses the same labels and formats.
import { formatDutchDate, formatDutchDateTime } from './dates.ts';
import { channelNames, contactChannels } from './contact.ts';
import type { StoredMessage } from '../server/message-store.ts';
import type { PageFigures, Report } from '../server/report.ts';
import { change, type GroupFigures } from './report-figures.ts';

const integer = new Intl.NumberFormat('nl-NL');
const percent = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export const formatCount = (value: number) => integer.format(value);

/** "3,1%", or "–" when there were no views to divide by. */
export const formatCtr = (ctr: number | null) => (ctr === null ? '–' : percent.format(ctr));

const wholePercent = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  maximumFractionDigits: 0,
  signDisplay: 'exceptZero',
});

/** "+12% t.o.v. de 30 dagen ervoor", or "0 in de 30 dagen ervoor" when there is nothing to compare with. */
export function changeLabel(now: number, before: number, days: number): string {
  const fraction = change(now, before);
  return fraction === null
    ? `0 in de ${days} dagen ervoor`
    : `${wholePercent.format(fraction)} t.o.v. de ${days} dagen ervoor`;
}

export const labels = {
  page: 'Pagina',
  views: 'Weergaven',
  contactViews: 'Uitnodiging gezien',
  clicks: 'Contactklikken',
  messages: 'Berichten',
  ctr: 'Klikratio',
  seenCtr: 'Klikratio na gezien',
  channel: 'Kanaal',
  day: 'Datum',
  total: 'Totaal',
  source: 'Bron',
  medium: 'Medium',
  campaign: 'Campagne',
  series: 'Reeks',
  part: 'Deel',
  readOn: 'Doorgelezen naar volgend deel',
  readOnShare: 'Aandeel doorgelezen',
} as const;

/** What the ratios and the read-on mean, in the report's own words. */
export const explanations = {
  ctr:
    'Klikratio: contactklikken gedeeld door weergaven. Klikratio na gezien: contactklikken gedeeld door het ' +
    'aantal keer dat de uitnodiging onderaan (vraag, auteur en links) minstens een seconde voor de helft in beeld was.',
  source:
    'Bron: de utm_source van de link, anders de website waar de lezer vandaan kwam (zonder pad), "intern" voor ' +
    'een andere pagina van deze site en "direct" zonder verwijzing. Klikken en berichten tellen mee bij de bron ' +
    'van de weergave waarin ze gebeurden.',
  readOn:
    'Doorlezen telt stappen van de ene pagina naar de volgende, nooit personen: ' +
    'niets verbindt de ene weergave met de andere.',
} as const;

/** "Digitale transformatie, deel 2: Kansen …", "Auteurspagina Job Coenen", or the path. */
export function pageLabel(
  page: Pick<PageFigures, 'kind' | 'title' | 'path' | 'seriesTitle' | 'part'>,
): string {
  if (page.kind === 'part') return `${page.seriesTitle}, deel ${page.part}: ${page.title}`;
  if (page.kind === 'author') return `Auteurspagina ${page.title}`;
  return page.path;
}

/** "1 mei 2024 t/m 30 mei 2024" */
export function periodLabel(report: Report): string {
  const day = (value: string) => formatDutchDate(new Date(`${value}T00:00:00Z`));
  return `${day(report.period.from)} t/m ${day(report.period.to)}`;
}

interface Format {
  count: (value: number) => string;
  ctr: (ctr: number | null) => string;
}

const textFormat: Format = { count: formatCount, ctr: formatCtr };
/** Plain integers (no thousands separator) and an empty cell where there is no ratio. */
const csvFormat: Format = { count: String, ctr: (ctr) => (ctr === null ? '' : formatCtr(ctr)) };

/** The rows of the per-page table, header first. */
function pageTable(report: Report, { count, ctr }: Format): string[][] {
  const { totals } = report;
  return [
    [
      labels.page,
      labels.views,
      labels.contactViews,
      labels.clicks,
      labels.ctr,
      labels.seenCtr,
      ...contactChannels.map((channel) => channelNames[channel]),
    ],
    ...report.pages.map((page) => [
      pageLabel(page),
      count(page.views),
      count(page.contactViews),
      count(page.clicks),
      ctr(page.ctr),
      ctr(page.seenCtr),
      ...contactChannels.map((channel) => count(page.clicksByChannel[channel])),
    ]),
    [
      labels.total,
      count(totals.views),
      count(totals.contactViews),
      count(totals.clicks),
      ctr(totals.ctr),
      ctr(totals.seenCtr),
      ...report.channels.map((channel) => count(channel.clicks)),
    ],
  ];
}

/** Per source or per campaign: views, the invitation seen, clicks and click ratio. */
function groupTable(groups: readonly GroupFigures[], label: string, { count, ctr }: Format): string[][] {
  return [
    [label, labels.views, labels.contactViews, labels.clicks, labels.ctr],
    ...groups.map((group) => [
      group.name,
      count(group.views),
      count(group.contactViews),
      count(group.clicks),
      ctr(group.ctr),
    ]),
  ];
}

/** Every series' funnel as one table: a row per part. */
function seriesTable(report: Report, { count, ctr }: Format): string[][] {
  return [
    [labels.series, labels.part, labels.views, labels.readOn, labels.readOnShare, labels.clicks],
    ...report.series.flatMap((funnel) =>
      funnel.parts.map((step) => [
        funnel.title,
        `${step.part}: ${step.title}`,
        count(step.views),
        step.readOn === null ? '' : count(step.readOn),
        step.readOn === null ? '' : ctr(step.readOnShare),
        count(step.clicks),
      ]),
    ),
  ];
}

/** The totals with the change since the period before. */
function totalsTable(report: Report, { count }: Format): string[][] {
  const { totals, before, period } = report;
  const rows: [string, number, number][] = [
    [labels.views, totals.views, before.totals.views],
    [labels.contactViews, totals.contactViews, before.totals.contactViews],
    [labels.clicks, totals.clicks, before.totals.clicks],
    [labels.messages, totals.messages, before.totals.messages],
  ];
  return [
    ['', `Laatste ${period.days} dagen`, `De ${period.days} dagen ervoor`, 'Verschil'],
    ...rows.map(([label, now, then]) => [
      label,
      count(now),
      count(then),
      changeLabel(now, then, period.days),
    ]),
  ];
}

function channelTable(report: Report, { count, ctr }: Format): string[][] {
  return [
    [labels.channel, labels.clicks, labels.ctr],
    ...report.channels.map((channel) => [channel.name, count(channel.clicks), ctr(channel.ctr)]),
  ];
}

function dayTable(report: Report, { count }: Format): string[][] {
  return [
    [labels.day, labels.views, labels.clicks],
    ...report.daily.map((day) => [day.day, count(day.views), count(day.clicks)]),
  ];
}

/** Columns padded to line up; numbers right-aligned. */
function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]!),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

/**
 * The report's tables in their order, for the terminal and the CSV alike. `empty` is what the
 * terminal prints instead of a table without rows, `note` what it prints below the table.
 */
function reportTables(report: Report, format: Format) {
  const tables: { title: string; rows: string[][]; empty?: string; note?: string }[] = [
    { title: 'Totalen', rows: totalsTable(report, format) },
    { title: 'Per pagina', rows: pageTable(report, format) },
    { title: 'Per kanaal', rows: channelTable(report, format) },
    { title: 'Per dag', rows: dayTable(report, format) },
    { title: 'Per bron', rows: groupTable(report.bySource, labels.source, format) },
    {
      title: 'Per campagne',
      rows: groupTable(report.byCampaign, labels.campaign, format),
      empty: report.byCampaign.length === 0 ? 'Geen campagnes.' : undefined,
    },
    { title: 'Doorlezen per reeks', rows: seriesTable(report, format), note: explanations.readOn },
  ];
  return tables;
}

/** What `npm run stats` prints. */
export function reportText(report: Report): string {
  return [
    `Statistieken, laatste ${report.period.days} dagen (${periodLabel(report)})`,
    ...reportTables(report, textFormat).flatMap(({ title, rows, empty, note }) => [
      '',
      title,
      empty ?? textTable(rows),
      ...(note ? [note] : []),
    ]),
  ].join('\n');
}

// Everything a terminal could take for a command (escape sequences and the like); the form
// already keeps these out of stored messages.
const terminalControls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** What `npm run messages` prints: every message, newest first, with when and where it was left. */
export function messagesText(
  messages: readonly StoredMessage[],
  timeZone: string,
  retentionDays: number,
  title = 'Berichten van lezers',
): string {
  const header = `${title}: ${formatCount(messages.length)}, het nieuwste eerst (bewaard ${retentionDays} dagen)`;
  if (messages.length === 0) return `${header}\n\nEr zijn (nog) geen berichten.`;
  const blocks = messages.map((message) =>
    [
      `${formatDutchDateTime(message.createdAt, timeZone)} · ${pageLabel(message.page)}`,
      `${message.name} <${message.email}>`,
      '',
      ...message.question.split('\n').map((line) => `  ${line}`),
    ]
      .join('\n')
      .replace(terminalControls, ''),
  );
  return `${header}\n\n${blocks.join(`\n\n${'-'.repeat(40)}\n\n`)}`;
}

/**
 * A CSV cell. Semicolons, quotes and line breaks are quoted; a leading = + - @ is defused so a
 * spreadsheet never runs a cell as a formula.
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The same tables as one CSV for Dutch spreadsheets: semicolons between cells, decimal
 * commas, a byte order mark so Excel reads UTF-8, and a blank line between tables.
 */
export function reportCsv(report: Report): string {
  const tables = reportTables(report, csvFormat).map(({ title, rows }) => [[title], ...rows]);
  const body = tables
    .map((rows) => rows.map((row) => row.map(csvCell).join(';')).join('\r\n'))
    .join('\r\n\r\n');
  return `\uFEFF${body}\r\n`;
}

/**
 * Every figure of the report as JSON for marketing's own dashboards (GET /stats/export.json; the
 * shape is documented in docs/tracking-and-report.md). Counts are numbers, ratios fractions or
 * null; `contactClicks` includes messages.
 */
export function reportJson(report: Report) {
  const totals = (figures: Report['totals']) => ({
    views: figures.views,
    contactViews: figures.contactViews,
    contactClicks: figures.clicks,
    messages: figures.messages,
  });
  return {
    period: { from: report.period.from, to: report.period.to, days: report.period.days },
    totals: totals(report.totals),
    before: {
      period: { from: report.before.period.from, to: report.before.period.to },
      totals: totals(report.before.totals),
    },
    pages: report.pages.map((page) => ({
      path: page.path,
      title: page.title,
      kind: page.kind,
      series: page.series ?? null,
      part: page.part ?? null,
      views: page.views,
      contactViews: page.contactViews,
      contactClicks: page.clicks,
      channels: Object.fromEntries(
        contactChannels.map((channel) => [channel, page.clicksByChannel[channel]]),
      ),
    })),
    sources: report.sources.map((row) => ({
      source: row.source,
      medium: row.medium,
      campaign: row.campaign,
      views: row.views,
      contactViews: row.contactViews,
      contactClicks: row.clicks,
    })),
    series: report.series.map((funnel) => ({
      series: funnel.series,
      title: funnel.title,
      parts: funnel.parts.map((step) => ({
        part: step.part,
        path: step.path,
        title: step.title,
        views: step.views,
        readOn: step.readOn,
        contactClicks: step.clicks,
      })),
    })),
    daily: report.daily,
  };
}
