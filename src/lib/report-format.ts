// The report's figures as Dutch text: numbers and percentages, the CSV export and the table
// `npm run stats` prints. The HTML report (src/pages/stats/) uses the same labels and formats.
import { formatDutchDate, formatDutchDateTime } from './dates.ts';
import { channelNames, contactChannels } from './contact.ts';
import type { StoredMessage } from '../server/message-store.ts';
import type { PageFigures, Report } from '../server/report.ts';

const integer = new Intl.NumberFormat('nl-NL');
const percent = new Intl.NumberFormat('nl-NL', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatCount = (value: number) => integer.format(value);

/** "3,1%", or "–" when there were no views to divide by. */
export const formatCtr = (ctr: number | null) => (ctr === null ? '–' : percent.format(ctr));

export const labels = {
  page: 'Pagina',
  views: 'Weergaven',
  clicks: 'Contactklikken',
  ctr: 'Klikratio',
  channel: 'Kanaal',
  day: 'Datum',
  total: 'Totaal',
} as const;

/** "Digitale transformatie, deel 2: Kansen …", "Auteurspagina Job Coenen", or the path. */
export function pageLabel(page: Pick<PageFigures, 'kind' | 'title' | 'path' | 'seriesTitle' | 'part'>): string {
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
  return [
    [labels.page, labels.views, labels.clicks, labels.ctr, ...contactChannels.map((channel) => channelNames[channel])],
    ...report.pages.map((page) => [
      pageLabel(page),
      count(page.views),
      count(page.clicks),
      ctr(page.ctr),
      ...contactChannels.map((channel) => count(page.clicksByChannel[channel])),
    ]),
    [
      labels.total,
      count(report.totals.views),
      count(report.totals.clicks),
      ctr(report.totals.ctr),
      ...report.channels.map((channel) => count(channel.clicks)),
    ],
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
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** What `npm run stats` prints. */
export function reportText(report: Report): string {
  return [
    `Statistieken, laatste ${report.period.days} dagen (${periodLabel(report)})`,
    '',
    'Per pagina',
    textTable(pageTable(report, textFormat)),
    '',
    'Per kanaal',
    textTable(channelTable(report, textFormat)),
    '',
    'Per dag',
    textTable(dayTable(report, textFormat)),
  ].join('\n');
}

// Everything a terminal could take for a command (escape sequences and the like); the form
// already keeps these out of stored messages.
const terminalControls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** What `npm run messages` prints: every message, newest first, with when and where it was left. */
export function messagesText(messages: readonly StoredMessage[], timeZone: string, retentionDays: number, title = 'Berichten van lezers'): string {
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
 * The same three tables as one CSV for Dutch spreadsheets: semicolons between cells, decimal
 * commas, a byte order mark so Excel reads UTF-8, and a blank line between tables.
 */
export function reportCsv(report: Report): string {
  const tables = [
    [['Per pagina'], ...pageTable(report, csvFormat)],
    [['Per kanaal'], ...channelTable(report, csvFormat)],
    [['Per dag'], ...dayTable(report, csvFormat)],
  ];
  const body = tables.map((rows) => rows.map((row) => row.map(csvCell).join(';')).join('\r\n')).join('\r\n\r\n');
  return `\uFEFF${body}\r\n`;
}
