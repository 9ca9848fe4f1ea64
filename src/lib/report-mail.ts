// The report by e-mail (REEKS_REPORT_MAIL): the week's or the month's figures from the report's
// own counts (src/server/report.ts), in plain text and a simple HTML part with the same content.
// Dutch; no images, no external resources, no tracking: its links carry no campaign tags. No
// address or message text is in it, only counts. Pure, so its wording is tested without a server
// (report-mail.test.ts); src/server/report-mail.ts reads the figures and queues it.
import { formatDutchMonth } from './dates.ts';
import { escapeHtml, htmlMail, link, type MailContent } from './follow-mail.ts';
import { change, type GroupFigures, type Report } from './report-figures.ts';
import type { ReportKind } from './report-schedule.ts';
import { weakestSection } from './section-funnel.ts';
import { formatCount, formatRatio, labels, pageLabel, periodLabel } from './report-tables.ts';

export interface ReportMailInput {
  /** 'test': `npm run stats -- --mail`, the last complete week. */
  kind: ReportKind | 'test';
  report: Report;
  /** Readers' messages kept in the report now: a count, never their text. */
  messagesWaiting: number;
  /** The report on the site, for the period of the mail. */
  reportUrl: string;
  siteName: string;
}

/** How many parts, sources and campaigns the mail names. */
export const mailTop = 5;

const wholePercent = new Intl.NumberFormat('nl-NL', {
  style: 'percent',
  maximumFractionDigits: 0,
  signDisplay: 'exceptZero',
});

function periodWords(input: ReportMailInput) {
  const { report, kind } = input;
  if (kind === 'monthly')
    return {
      title: `Maandrapport ${formatDutchMonth(report.period.from.slice(0, 7))}`,
      before: 'de maand ervoor',
    };
  if (kind === 'weekly') return { title: `Weekrapport ${periodLabel(report)}`, before: 'de week ervoor' };
  return {
    title: `Testrapport ${periodLabel(report)}`,
    before: `de ${report.before.period.days} dagen ervoor`,
  };
}

/** "120 (+20% t.o.v. de week ervoor)", or "(0 in de week ervoor)" with nothing to compare with. */
function withChange(now: number, before: number, words: string) {
  const fraction = change(now, before);
  return `${formatCount(now)} (${fraction === null ? `0 in ${words}` : `${wholePercent.format(fraction)} t.o.v. ${words}`})`;
}

/** A block of the mail: a heading and either lines (a list) or a sentence. */
interface Block {
  heading: string;
  lines: string[];
  /** Said when there are no lines. */
  empty?: string;
  /** A sentence under the lines. */
  note?: string;
}

const groupLine = (group: GroupFigures) =>
  `${group.name}: ${formatCount(group.views)} weergaven, ${formatCount(group.clicks)} contactklikken`;

function blocksOf(input: ReportMailInput): Block[] {
  const { report, messagesWaiting } = input;
  const words = periodWords(input).before;
  const { totals, before } = report;
  const parts = report.pages
    .filter((page) => page.kind === 'part' && page.views > 0)
    .sort((a, b) => b.views - a.views || b.clicks - a.clicks)
    .slice(0, mailTop);
  const blocks: Block[] = [
    {
      heading: 'Totalen',
      lines: [
        `${labels.views}: ${withChange(totals.views, before.totals.views, words)}`,
        `${labels.contactViews}: ${withChange(totals.contactViews, before.totals.contactViews, words)}`,
        `${labels.clicks}: ${withChange(totals.clicks, before.totals.clicks, words)}`,
        `${labels.messages}: ${withChange(totals.messages, before.totals.messages, words)}`,
        `${labels.ctr}: ${formatRatio(totals.ctr)}`,
      ],
    },
    {
      heading: 'Meest gelezen delen',
      lines: parts.map(
        (page) =>
          `${pageLabel(page)}: ${formatCount(page.views)} weergaven, ${formatCount(page.clicks)} contactklikken (${formatRatio(page.ctr)})`,
      ),
      empty: 'Geen weergaven van delen in deze periode.',
    },
    {
      heading: 'Bronnen',
      lines: report.bySource.slice(0, mailTop).map(groupLine),
      empty: 'Geen weergaven in deze periode.',
    },
    {
      heading: 'Campagnes',
      lines: report.byCampaign.slice(0, mailTop).map(groupLine),
      empty: 'Geen weergaven met een campagne in deze periode.',
    },
    {
      heading: 'Doorlezen en volgen per reeks',
      lines: report.series.flatMap((funnel) => {
        const followers = report.follow.find((figures) => figures.series === funnel.series)?.followers ?? 0;
        return [
          `${funnel.title}: ${formatCount(funnel.followsInPeriod)} nieuwe volgers, ${formatCount(followers)} volgers nu`,
          ...funnel.parts
            .filter((step) => step.readOn !== null)
            .map(
              (step) =>
                `  deel ${step.part} → ${step.part + 1}: ${formatCount(step.readOn!)} van ${formatCount(step.views)} lazen door (${formatRatio(step.readOnShare!)})`,
            ),
        ];
      }),
      empty: 'Nog geen reeksen met weergaven.',
    },
  ];
  blocks.push({
    heading: 'Waar lezers afhaken',
    lines: report.sectionFunnels.flatMap((funnel) => {
      const weakest = weakestSection(funnel);
      if (!weakest) return [];
      const part = funnel.part === undefined ? funnel.title : pageLabel({ ...funnel, kind: 'part' });
      return [
        `${part}: bij "${weakest.section}" van ${formatCount(weakest.before)} naar ${formatCount(weakest.reached)} weergaven`,
      ];
    }),
    empty: 'Geen deel met 20 weergaven of meer waarin lezers afhaakten.',
    note: 'Per deel de sectie met de grootste daling ten opzichte van de stap ervoor.',
  });
  blocks.push({
    heading: 'Berichten van lezers',
    lines: [],
    empty:
      messagesWaiting === 1
        ? 'Er staat 1 bericht van een lezer in het rapport.'
        : `Er staan ${formatCount(messagesWaiting)} berichten van lezers in het rapport.`,
  });
  return blocks;
}

/** The report's mail: its subject, plain text and HTML. */
export function reportMail(input: ReportMailInput): MailContent {
  const { title } = periodWords(input);
  const subject = `${title} (${input.siteName})`;
  const blocks = blocksOf(input);
  const footer = `Je krijgt deze e-mail omdat je adres bij de instellingen van ${input.siteName} staat (REEKS_REPORT_MAIL_TO). Er zit geen volgpixel of gelabelde link in.`;
  const text = [
    subject,
    '',
    ...blocks.flatMap((block) => [
      block.heading,
      ...(block.lines.length === 0 && block.empty
        ? [block.empty]
        : block.lines.map((line) => (line.startsWith('  ') ? `    - ${line.trim()}` : `- ${line}`))),
      ...(block.note ? [block.note] : []),
      '',
    ]),
    `Het hele rapport (met inloggen): ${input.reportUrl}`,
    '',
    footer,
    '',
  ].join('\n');
  const html = htmlMail(
    subject,
    [
      `<h1 style="font-size: 1.5em;">${escapeHtml(title)}</h1>`,
      ...blocks.flatMap((block) => [
        `<h2 style="font-size: 1.2em; margin-top: 1.5em;">${escapeHtml(block.heading)}</h2>`,
        block.lines.length === 0 && block.empty
          ? `<p>${escapeHtml(block.empty)}</p>`
          : `<ul>${block.lines.map((line) => `<li${line.startsWith('  ') ? ' style="margin-left: 1.5em;"' : ''}>${escapeHtml(line.trimStart())}</li>`).join('')}</ul>`,
        ...(block.note ? [`<p>${escapeHtml(block.note)}</p>`] : []),
      ]),
      `<p>${link(input.reportUrl, 'Het hele rapport')} (met inloggen)</p>`,
      `<p style="font-size: 0.875em; color: #57534e;">${escapeHtml(footer)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}
