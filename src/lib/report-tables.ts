// The report's tables, built once and drawn by every output: the page (FiguresTable.astro), the
// terminal (`npm run stats`) and the CSV export (report-format.ts). Each table has its heading,
// a caption for screen readers, its columns, a row per thing counted and the notes below it. The
// figures come formatted; only how (thousands separators, an empty cell or "–", the date of a
// day) depends on the output. Pure, so it is tested without a server (report-tables.test.ts).
import { channelNames, contactChannels } from './contact.ts';
import { formatDutchDate } from './dates.ts';
import {
  change,
  othersName,
  ratio as ratioOf,
  type FollowFigures,
  type GroupFigures,
  type Overflow,
  type Ratio,
  type Report,
  type SeriesFunnel,
} from './report-figures.ts';
import { engagedBucketNames, engagedBuckets } from './reading-depth.ts';
import { weakestSection, weakestSectionMinViews, type SectionFunnel } from './section-funnel.ts';
import type { NamedPage } from './site-page.ts';

const integer = new Intl.NumberFormat('nl-NL');
const percent = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const wholePercent = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  maximumFractionDigits: 0,
  signDisplay: 'exceptZero',
});

export const formatCount = (value: number) => integer.format(value);

/** The words that mark a figure whose counts do not add up: text, so no one needs to see a colour. */
export const unreliableMark = 'onbetrouwbaar';

/** "3,1%", "100,0% (onbetrouwbaar)", or "–" when there was nothing to divide by. */
export const formatRatio = ({ value, unreliable }: Ratio) =>
  value === null ? '–' : `${percent.format(value)}${unreliable ? ` (${unreliableMark})` : ''}`;

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
  follows: 'Volgen',
  followers: 'Volgers nu',
  requested: 'Aanvragen',
  confirmed: 'Bevestigd',
  confirmedShare: 'Bevestigd per aanvraag',
  unsubscribed: 'Afgemeld',
  failing: 'Adressen die mislukken',
  sent: 'Verstuurd',
  failed: 'Mislukt',
  inDoubt: 'Onzeker',
  pending: 'Wachtend',
  step: 'Stap',
  reached: 'Bereikt',
  reachedShare: 'Aandeel van de weergaven',
  depthRecords: 'Met leesdiepte',
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
  funnel:
    'Elk deel: weergaven, doorlezen naar het volgende deel, de uitnodiging onderaan gezien, en daarna contact ' +
    'of volgen. Volgen: aanmeldingen die in deze periode zijn bevestigd vanaf het formulier onder dit deel, ' +
    'van wie nu nog volgt.',
  follow:
    'Aanvragen: formulieren "Volg deze reeks" die een bevestigingsmail verstuurden. Bevestigd: aanmeldingen ' +
    'waarvan de lezer de link in die mail aanklikte; pas dan volgt iemand. Volgers nu: wie nu volgt. ' +
    'Adressen die mislukken: volgers van wie de mailserver de mail blijvend weigert; zij krijgen geen mail ' +
    'meer. Het rapport toont geen adressen, alleen aantallen.',
  mails:
    'Elke volger krijgt één mail per deel dat verschijnt nadat hij of zij bevestigde. Verstuurd: door de ' +
    'mailserver aangenomen. Mislukt: blijvend geweigerd of te vaak uitgesteld. Onzeker: aan de mailserver ' +
    'gegeven toen de server stopte, zonder dat het versturen is vastgelegd; zo’n mail gaat nooit opnieuw, ' +
    'zodat niemand hem twee keer krijgt. Wachtend: nog aan de beurt, of later opnieuw te proberen. Lezers ' +
    'die via de link in de mail komen, tellen bij de bron "e-mail".',
  depth:
    'Leesdiepte: een sectie is bereikt als de bovenkant van haar kop in beeld is geweest; het einde van ' +
    'het artikel als de laatste alinea in beeld is geweest. De pagina meldt dat bij het verlaten of ' +
    'wegklikken, zonder cookie en zonder iets dat twee weergaven verbindt. Weergaven zonder melding ' +
    '(de lezer scrolde niet, of de meting kwam niet aan) tellen als alleen gelezen wat bij het laden in ' +
    'beeld was: ze tellen mee bij de weergaven, niet bij de secties (weergaven min meldingen).',
  engaged:
    'Leestijd: het aantal blokken van 5 seconden waarin het tabblad zichtbaar was en de lezer scrolde, ' +
    'typte, de muis bewoog of het scherm aanraakte, per weergave met leesdiepte. Alleen de verdeling, ' +
    'geen gemiddelde.',
  unreliable:
    `"${unreliableMark}": de tellingen kloppen niet, er zijn meer klikken of doorlezers geteld dan ` +
    'weergaven (bijvoorbeeld door nagemaakte of verloren meldingen). De verhouding staat op ten hoogste 100%.',
} as const;

/** "Digitale transformatie, deel 2: Kansen …", "Auteurspagina Job Coenen", or the path. */
export function pageLabel(page: Pick<NamedPage, 'kind' | 'title' | 'path' | 'seriesTitle' | 'part'>): string {
  if (page.kind === 'part') return `${page.seriesTitle}, deel ${page.part}: ${page.title}`;
  if (page.kind === 'author') return `Auteurspagina ${page.title}`;
  return page.path;
}

const dutchDay = (day: string) => formatDutchDate(new Date(`${day}T00:00:00Z`));

/** "1 mei 2024 t/m 30 mei 2024" */
export const periodLabel = (report: Pick<Report, 'period'>) =>
  `${dutchDay(report.period.from)} t/m ${dutchDay(report.period.to)}`;

/** How an output writes the figures. */
export interface TableFormat {
  count: (value: number) => string;
  ratio: (ratio: Ratio) => string;
  /** A figure that does not exist (read-on from the last part). */
  none: string;
  /** A day, given as YYYY-MM-DD. */
  day: (day: string) => string;
}

/** For people: the page and the terminal. */
export const readableFormat: TableFormat = {
  count: formatCount,
  ratio: formatRatio,
  none: '–',
  day: dutchDay,
};

/** For spreadsheets: plain integers, an empty cell where there is no figure, days as YYYY-MM-DD. */
export const spreadsheetFormat: TableFormat = {
  count: String,
  ratio: (ratio) => (ratio.value === null ? '' : formatRatio(ratio)),
  none: '',
  day: (day) => day,
};

/** The first cell of a row: what the row counts, with the page it is about, or the day. */
export interface RowName {
  text: string;
  href?: string;
  /** YYYY-MM-DD, for a row that is a day. */
  day?: string;
}

export interface TableRow {
  name: RowName;
  cells: string[];
}

export interface ReportTable {
  /** Unique in the report: the heading's id on the page, and the table's class `stats-<key>`. */
  key: string;
  title: string;
  /** What a screen reader announces for the table. */
  caption: string;
  /** The first names the rows; the others their figures. */
  columns: string[];
  rows: TableRow[];
  /** A row under the others: the totals. */
  footer?: TableRow;
  /** What to say instead of a table without rows. */
  empty?: string;
  /** Sentences printed below the table. */
  notes: string[];
}

/** The unreliable note, once, below a table with a figure so marked. */
const unreliableNote = (ratios: readonly (Ratio | null)[]) =>
  ratios.some((ratio) => ratio?.unreliable) ? [explanations.unreliable] : [];

function totalsTable(report: Report, { count, ratio }: TableFormat): ReportTable {
  const { totals, before, period } = report;
  const counts: [string, number, number][] = [
    [labels.views, totals.views, before.totals.views],
    [labels.contactViews, totals.contactViews, before.totals.contactViews],
    [labels.clicks, totals.clicks, before.totals.clicks],
    [labels.messages, totals.messages, before.totals.messages],
  ];
  return {
    key: 'totalen',
    title: 'Totalen',
    caption: `Totalen van de laatste ${period.days} dagen en de ${period.days} dagen ervoor`,
    columns: ['', `Laatste ${period.days} dagen`, `De ${period.days} dagen ervoor`, 'Verschil'],
    rows: [
      ...counts.map(([label, now, then]) => ({
        name: { text: label },
        cells: [count(now), count(then), changeLabel(now, then, period.days)],
      })),
      { name: { text: labels.ctr }, cells: [ratio(totals.ctr), ratio(before.totals.ctr), ''] },
      { name: { text: labels.seenCtr }, cells: [ratio(totals.seenCtr), ratio(before.totals.seenCtr), ''] },
    ],
    notes: unreliableNote([totals.ctr, totals.seenCtr, before.totals.ctr, before.totals.seenCtr]),
  };
}

function pageTable(report: Report, { count, ratio }: TableFormat): ReportTable {
  const { totals } = report;
  return {
    key: 'per-pagina',
    title: 'Per pagina',
    caption: 'Weergaven, uitnodiging gezien en contactklikken per pagina',
    columns: [
      labels.page,
      labels.views,
      labels.contactViews,
      labels.clicks,
      labels.ctr,
      labels.seenCtr,
      ...contactChannels.map((channel) => channelNames[channel]),
    ],
    rows: report.pages.map((page) => ({
      name: { text: pageLabel(page), href: page.kind === 'unknown' ? undefined : page.path },
      cells: [
        count(page.views),
        count(page.contactViews),
        count(page.clicks),
        ratio(page.ctr),
        ratio(page.seenCtr),
        ...contactChannels.map((channel) => count(page.clicksByChannel[channel])),
      ],
    })),
    footer: {
      name: { text: labels.total },
      cells: [
        count(totals.views),
        count(totals.contactViews),
        count(totals.clicks),
        ratio(totals.ctr),
        ratio(totals.seenCtr),
        ...report.channels.map((channel) => count(channel.clicks)),
      ],
    },
    notes: unreliableNote(report.pages.flatMap((page) => [page.ctr, page.seenCtr])),
  };
}

function channelTable(report: Report, { count, ratio }: TableFormat): ReportTable {
  return {
    key: 'per-kanaal',
    title: 'Per kanaal',
    caption: 'Contactklikken en klikratio per kanaal',
    columns: [labels.channel, labels.clicks, labels.ctr],
    rows: report.channels.map((channel) => ({
      name: { text: channel.name },
      cells: [count(channel.clicks), ratio(channel.ctr)],
    })),
    notes: [explanations.ctr, ...unreliableNote(report.channels.map((channel) => channel.ctr))],
  };
}

function dayTable(report: Report, { count, day }: TableFormat): ReportTable {
  return {
    key: 'per-dag',
    title: 'Per dag',
    caption: `${labels.views} en ${labels.clicks.toLowerCase()} per dag`,
    columns: [labels.day, labels.views, labels.clicks],
    rows: report.daily.map((figures) => ({
      name: { text: day(figures.day), day: figures.day },
      cells: [count(figures.views), count(figures.clicks)],
    })),
    notes: [],
  };
}

/** "overige (1.234 bronnen)": the row that sums the rest. */
function groupName(group: GroupFigures, one: string, many: string): string {
  if (group.others === undefined) return group.name;
  return group.others === 0
    ? othersName
    : `${othersName} (${formatCount(group.others)} ${group.others === 1 ? one : many})`;
}

/** Why some of the figures sit under "overige": the top of the list, and the day's cap of new ones. */
function othersNotes(
  groups: readonly GroupFigures[],
  overflow: Overflow,
  what: string,
  cap: number,
): string[] {
  const notes: string[] = [];
  if (groups.some((group) => group.others))
    notes.push(
      `De ${groups.length - 1} ${what} met de meeste weergaven staan apart; de rest staat onder "${othersName}".`,
    );
  if (overflow.events > 0) {
    notes.push(
      `Op ${formatCount(overflow.days)} ${overflow.days === 1 ? 'dag' : 'dagen'} kwamen meer dan ${formatCount(cap)} ` +
        `nieuwe ${what} binnen: ${formatCount(overflow.events)} meldingen met een nieuwe daarboven staan onder "${othersName}".`,
    );
  }
  return notes;
}

function groupTable(
  report: Report,
  which: 'sources' | 'campaigns',
  { count, ratio }: TableFormat,
): ReportTable {
  const groups = which === 'sources' ? report.bySource : report.byCampaign;
  const label = which === 'sources' ? labels.source : labels.campaign;
  const [one, many] = which === 'sources' ? ['bron', 'bronnen'] : ['campagne', 'campagnes'];
  return {
    key: which === 'sources' ? 'per-bron' : 'per-campagne',
    title: which === 'sources' ? 'Per bron' : 'Per campagne',
    caption: `Weergaven, uitnodiging gezien en contactklikken per ${one}`,
    columns: [label, labels.views, labels.contactViews, labels.clicks, labels.ctr],
    rows: groups.map((group) => ({
      name: { text: groupName(group, one, many) },
      cells: [count(group.views), count(group.contactViews), count(group.clicks), ratio(group.ctr)],
    })),
    empty: `Geen weergaven met een ${one} in deze periode.`,
    notes: [
      ...othersNotes(groups, report.overflow[which], many, report.newSourcesPerDay),
      ...(which === 'campaigns' ? [explanations.source] : []),
      ...unreliableNote(groups.map((group) => group.ctr)),
    ],
  };
}

/** A funnel's columns: part seen → read on, invitation seen → contact or follow. */
const funnelColumns = [
  labels.part,
  labels.views,
  labels.readOn,
  labels.readOnShare,
  labels.contactViews,
  labels.clicks,
  labels.follows,
];

/** Following by e-mail: a row per series, counts only. */
function followTable(follow: readonly FollowFigures[], { count, ratio }: TableFormat): ReportTable {
  const cells = (figures: Omit<FollowFigures, 'series' | 'title' | 'parts'>) => [
    count(figures.followers),
    count(figures.requested),
    count(figures.confirmed),
    ratio(figures.confirmedShare),
    count(figures.unsubscribed),
    count(figures.failing),
  ];
  const sum = (pick: (figures: FollowFigures) => number) =>
    follow.reduce((total, figures) => total + pick(figures), 0);
  const total = {
    followers: sum((figures) => figures.followers),
    failing: sum((figures) => figures.failing),
    requested: sum((figures) => figures.requested),
    confirmed: sum((figures) => figures.confirmed),
    unsubscribed: sum((figures) => figures.unsubscribed),
  };
  return {
    key: 'volgen',
    title: 'Volgen per e-mail',
    caption: 'Volgers, aanvragen, bevestigingen en afmeldingen per reeks',
    columns: [
      labels.series,
      labels.followers,
      labels.requested,
      labels.confirmed,
      labels.confirmedShare,
      labels.unsubscribed,
      labels.failing,
    ],
    rows: follow.map((figures) => ({ name: { text: figures.title }, cells: cells(figures) })),
    footer:
      follow.length > 1
        ? {
            name: { text: labels.total },
            cells: cells({ ...total, confirmedShare: ratioOf(total.confirmed, total.requested) }),
          }
        : undefined,
    empty: 'Nog niemand volgt een reeks per e-mail, en in deze periode vroeg niemand het aan.',
    notes: [explanations.follow, ...unreliableNote(follow.map((figures) => figures.confirmedShare))],
  };
}

/** The mail about each new part, by where it stands: a row per part that was mailed. */
function mailsTable(follow: readonly FollowFigures[], { count }: TableFormat): ReportTable {
  return {
    key: 'mails-per-deel',
    title: 'Mails per nieuw deel',
    caption: 'Mails aan volgers per deel: verstuurd, mislukt, onzeker en wachtend',
    columns: [labels.part, labels.sent, labels.failed, labels.inDoubt, labels.pending],
    rows: follow.flatMap((figures) =>
      figures.parts.map((mails) => ({
        name: {
          text: pageLabel({ kind: 'part', ...mails, seriesTitle: figures.title }),
          href: mails.path,
        },
        cells: [count(mails.sent), count(mails.failed), count(mails.inDoubt), count(mails.pending)],
      })),
    ),
    empty: 'Er is nog geen deel verschenen waarover volgers een mail kregen.',
    notes: [explanations.mails],
  };
}

/** One series' funnel: a row per part. */
export function seriesTable(
  funnel: SeriesFunnel,
  key: string,
  { count, ratio, none }: TableFormat,
): ReportTable {
  return {
    key,
    title: funnel.title,
    caption: `Doorlezen, contact en volgen in ${funnel.title}, per deel`,
    columns: funnelColumns,
    rows: funnel.parts.map((step) => ({
      name: { text: `${step.part}: ${step.title}`, href: step.path },
      cells: [
        count(step.views),
        step.readOn === null ? none : count(step.readOn),
        step.readOnShare === null ? none : ratio(step.readOnShare),
        count(step.contactViews),
        count(step.clicks),
        count(step.follows),
      ],
    })),
    notes: unreliableNote(funnel.parts.map((step) => step.readOnShare)),
  };
}

/** Where the part loses the most readers, for a part with enough views to say so. */
function weakestNote(funnel: SectionFunnel, count: TableFormat['count']): string[] {
  const weakest = weakestSection(funnel);
  if (!weakest) return [];
  return [
    `${pageLabel({ kind: 'part', ...funnel })}: de grootste uitval is voor "${weakest.section}", van ${count(weakest.before)} naar ${count(weakest.reached)} (alleen bij delen met minstens ${weakestSectionMinViews} weergaven).`,
  ];
}

/** One part's section funnel: a row per step, from the views to contact or follow. */
export function sectionTable(funnel: SectionFunnel, key: string, { count, ratio }: TableFormat): ReportTable {
  const title = pageLabel({ kind: 'part', ...funnel });
  return {
    key,
    title,
    caption: `Leesdiepte van ${title}: weergaven, secties, einde, uitnodiging en contact`,
    columns: [labels.step, labels.reached, labels.reachedShare],
    rows: funnel.steps.map((step) => ({
      name: { text: step.label },
      cells: [count(step.count), ratio(step.share)],
    })),
    notes: [
      `${title}: ${count(funnel.withoutRecord)} van de ${count(funnel.views)} weergaven zonder melding van leesdiepte.`,
      ...weakestNote(funnel, count),
      ...unreliableNote(funnel.steps.map((step) => step.share)),
    ],
  };
}

/** The engaged time of every part: a row per part, a column per bucket. */
export function engagedTable(funnels: readonly SectionFunnel[], { count }: TableFormat): ReportTable {
  return {
    key: 'leestijd',
    title: 'Leestijd per deel',
    caption: 'Weergaven met leesdiepte per deel, verdeeld naar actieve leestijd',
    columns: [
      labels.part,
      labels.depthRecords,
      ...engagedBuckets.map((bucket) => engagedBucketNames[bucket]),
    ],
    rows: funnels.map((funnel) => ({
      name: { text: pageLabel({ kind: 'part', ...funnel }), href: funnel.path },
      cells: [count(funnel.records), ...funnel.engaged.map((bucket) => count(bucket.count))],
    })),
    empty: 'In deze periode is van geen deel de leestijd gemeld.',
    notes: [explanations.engaged],
  };
}

/** Every table of the report, in the order the terminal and the CSV print them. */
export function reportTables(report: Report, format: TableFormat) {
  return {
    totals: totalsTable(report, format),
    pages: pageTable(report, format),
    channels: channelTable(report, format),
    days: dayTable(report, format),
    sources: groupTable(report, 'sources', format),
    campaigns: groupTable(report, 'campaigns', format),
    series: report.series.map((funnel, index) => seriesTable(funnel, `reeks-${index}`, format)),
    follow: followTable(report.follow, format),
    mails: mailsTable(report.follow, format),
    sections: report.sectionFunnels.map((funnel, index) =>
      sectionTable(funnel, `leesdiepte-${index}`, format),
    ),
    engaged: engagedTable(report.sectionFunnels, format),
  };
}

/**
 * Tables of the same columns as one, a first column naming each (the series' funnels in the
 * terminal and the CSV: one table, a column for the series).
 */
export function joinedTable(
  tables: readonly ReportTable[],
  join: Pick<ReportTable, 'key' | 'title' | 'caption' | 'empty' | 'notes'> & {
    column: string;
    columns: string[];
  },
): ReportTable {
  return {
    ...join,
    columns: [join.column, ...join.columns],
    rows: tables.flatMap((table) =>
      table.rows.map((row) => ({ name: { text: table.title }, cells: [row.name.text, ...row.cells] })),
    ),
    notes: [...new Set([...join.notes, ...tables.flatMap((table) => table.notes)])],
  };
}

/** The report's tables in their order as one list, for the terminal and the CSV. */
export function tableList(report: Report, format: TableFormat): ReportTable[] {
  const tables = reportTables(report, format);
  return [
    tables.totals,
    tables.pages,
    tables.channels,
    tables.days,
    tables.sources,
    { ...tables.campaigns, empty: 'Geen campagnes.' },
    joinedTable(tables.series, {
      key: 'series',
      title: 'Doorlezen per reeks',
      caption: 'Doorlezen, contact en volgen per reeks, per deel',
      column: labels.series,
      columns: funnelColumns,
      notes: [explanations.readOn, explanations.funnel],
    }),
    joinedTable(tables.sections, {
      key: 'leesdiepte',
      title: 'Leesdiepte per deel',
      caption: 'Leesdiepte per deel: weergaven, secties, einde, uitnodiging en contact',
      column: labels.part,
      columns: [labels.step, labels.reached, labels.reachedShare],
      empty: 'In deze periode had geen deel weergaven.',
      notes: [explanations.depth],
    }),
    tables.engaged,
    tables.follow,
    tables.mails,
  ];
}
