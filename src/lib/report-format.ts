// The report as text and files: the table `npm run stats` prints, the CSV export and the JSON
// export, and the messages `npm run messages` prints. The tables are the report's one table model
// (report-tables.ts), which the page draws too.
import { formatDutchDateTime } from './dates.ts';
import { contactChannels } from './contact.ts';
import type { StoredMessage } from './message-form.ts';
import type { Ratio, Report } from './report-figures.ts';
import {
  formatCount,
  pageLabel,
  periodLabel,
  readableFormat,
  spreadsheetFormat,
  tableList,
  type ReportTable,
} from './report-tables.ts';

export {
  changeLabel,
  explanations,
  formatCount,
  formatRatio,
  labels,
  pageLabel,
  periodLabel,
} from './report-tables.ts';

/** The table's rows as cells, header first, the footer last. */
const cellsOf = (table: ReportTable): string[][] => [
  table.columns,
  ...[...table.rows, ...(table.footer ? [table.footer] : [])].map((row) => [row.name.text, ...row.cells]),
];

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

/** What `npm run stats` prints. */
export function reportText(report: Report): string {
  return [
    `Statistieken, laatste ${report.period.days} dagen (${periodLabel(report)})`,
    ...tableList(report, readableFormat).flatMap((table) => [
      '',
      table.title,
      table.rows.length === 0 && table.empty ? table.empty : textTable(cellsOf(table)),
      ...table.notes,
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

/** A follow of one series, as `npm run messages -- --email` shows it to the operator. */
export interface ReaderFollow {
  series: string;
  seriesTitle: string;
  confirmedAt: Date;
  /** The page the follow came from. */
  sourcePath: string;
  /** The mail server refuses the address for good: it gets no more mail. */
  failing: boolean;
}

/** A mail in the outbox to or about the address. */
export interface ReaderMail {
  kind: 'confirm' | 'part' | 'message';
  series: string | null;
  part: number | null;
  state: 'pending' | 'sending' | 'sent' | 'failed' | 'in-doubt';
  createdAt: Date;
  sentAt: Date | null;
}

const mailStates: Record<ReaderMail['state'], string> = {
  pending: 'wacht',
  sending: 'wordt verstuurd',
  sent: 'verstuurd',
  failed: 'mislukt',
  'in-doubt': 'onzeker of verstuurd',
};

function mailLine(mail: ReaderMail, timeZone: string): string {
  const what =
    mail.kind === 'confirm'
      ? `bevestigingsmail om ${mail.series} te volgen`
      : mail.kind === 'part'
        ? `mail over deel ${mail.part} van ${mail.series}`
        : 'mail aan de auteur over een bericht';
  const when = mail.sentAt
    ? `verstuurd ${formatDutchDateTime(mail.sentAt, timeZone)}`
    : `${mailStates[mail.state]}, in de wachtrij sinds ${formatDutchDateTime(mail.createdAt, timeZone)}`;
  return `  ${what}: ${when}`;
}

/**
 * What `npm run messages -- --email` prints after the messages: the address's follows, its open
 * confirmation requests and its mails in the outbox.
 */
export function readerFollowText(
  {
    follows,
    mails,
    requests,
  }: { follows: readonly ReaderFollow[]; mails: readonly ReaderMail[]; requests: number },
  timeZone: string,
): string {
  const lines = [
    follows.length === 0
      ? 'Volgt geen reeks per e-mail.'
      : `Volgt per e-mail: ${follows.length} ${follows.length === 1 ? 'reeks' : 'reeksen'} (bewaard tot afmelden)`,
    ...follows.map(
      (follow) =>
        `  ${follow.seriesTitle}: bevestigd ${formatDutchDateTime(follow.confirmedAt, timeZone)}, vanaf ${follow.sourcePath}` +
        (follow.failing ? '; de mailserver weigert dit adres, het krijgt geen mail meer' : ''),
    ),
  ];
  if (requests > 0)
    lines.push(
      `Aanvragen om te volgen die nog niet verlopen zijn: ${requests} (alleen een sleutel van het adres en het moment)`,
    );
  lines.push(
    mails.length === 0
      ? 'Geen mails aan of over dit adres in de wachtrij.'
      : `Mails aan of over dit adres in de wachtrij: ${mails.length}`,
    ...mails.map((mail) => mailLine(mail, timeZone)),
  );
  return lines.join('\n').replace(terminalControls, '');
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
 * commas, a byte order mark so Excel reads UTF-8, each table's notes in a cell of their own
 * below it, and a blank line between tables.
 */
export function reportCsv(report: Report): string {
  const tables = tableList(report, spreadsheetFormat).map((table) => [
    [table.title],
    ...cellsOf(table),
    ...table.notes.map((note) => [note]),
  ]);
  const body = tables
    .map((rows) => rows.map((row) => row.map(csvCell).join(';')).join('\r\n'))
    .join('\r\n\r\n');
  return `\uFEFF${body}\r\n`;
}

/**
 * Every figure of the report as JSON for marketing's own dashboards (GET /stats/export.json; the
 * shape is documented in docs/tracking-and-report.md). Counts are numbers; `contactClicks`
 * includes messages. Sources are the most viewed rows and one "overige" row, as on the page.
 */
/** Where a ratio's counts do not add up, as the JSON export lists it. */
export interface UnreliableFigure {
  figure: 'ctr' | 'seenCtr' | 'readOnShare' | 'confirmedShare';
  /** What it is a figure of, and which one: a path, a source, a campaign, a series' part, a series. */
  of: 'totals' | 'page' | 'source' | 'campaign' | 'part' | 'series';
  name: string;
}

/** Every ratio of the report that the page and the terminal mark as unreliable. */
export function unreliableFigures(report: Report): UnreliableFigure[] {
  const found: UnreliableFigure[] = [];
  const check = (
    ratio: Ratio | null,
    figure: UnreliableFigure['figure'],
    of: UnreliableFigure['of'],
    name: string,
  ) => {
    if (ratio?.unreliable) found.push({ figure, of, name });
  };
  check(report.totals.ctr, 'ctr', 'totals', 'totals');
  check(report.totals.seenCtr, 'seenCtr', 'totals', 'totals');
  for (const page of report.pages) {
    check(page.ctr, 'ctr', 'page', page.path);
    check(page.seenCtr, 'seenCtr', 'page', page.path);
  }
  for (const group of report.bySource) check(group.ctr, 'ctr', 'source', group.name);
  for (const group of report.byCampaign) check(group.ctr, 'ctr', 'campaign', group.name);
  for (const funnel of report.series)
    for (const step of funnel.parts) check(step.readOnShare, 'readOnShare', 'part', step.path);
  for (const figures of report.follow)
    check(figures.confirmedShare, 'confirmedShare', 'series', figures.series);
  return found;
}

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
    sources: (report.sources ?? []).map((row) => ({
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
        contactViews: step.contactViews,
        contactClicks: step.clicks,
        follows: step.follows,
      })),
      followsInPeriod: funnel.followsInPeriod,
    })),
    // Counts only: the report holds no address of a follower.
    follow: report.follow.map((figures) => ({
      series: figures.series,
      title: figures.title,
      followers: figures.followers,
      failing: figures.failing,
      requested: figures.requested,
      confirmed: figures.confirmed,
      unsubscribed: figures.unsubscribed,
      parts: figures.parts.map((mails) => ({
        part: mails.part,
        path: mails.path,
        title: mails.title,
        sent: mails.sent,
        failed: mails.failed,
        inDoubt: mails.inDoubt,
        pending: mails.pending,
      })),
    })),
    // Per part: views, then each section, the end, the invitation seen and contact or follow.
    sectionFunnels: report.sectionFunnels.map((funnel) => ({
      path: funnel.path,
      title: funnel.title,
      series: funnel.series ?? null,
      part: funnel.part ?? null,
      views: funnel.views,
      depthRecords: funnel.records,
      withoutDepthRecord: funnel.withoutRecord,
      steps: funnel.steps.map((step) => ({ kind: step.kind, label: step.label, count: step.count })),
      engaged: Object.fromEntries(funnel.engaged.map((bucket) => [bucket.bucket, bucket.count])),
    })),
    daily: report.daily,
    overflow: report.overflow,
    unreliable: unreliableFigures(report),
  };
}
