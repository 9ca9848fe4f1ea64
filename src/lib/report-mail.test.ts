import { describe, expect, it } from 'vitest';
import { ratio, seriesFunnels, type PageFigures, type Report, type Totals } from './report-figures.ts';
import { reportMail, type ReportMailInput } from './report-mail.ts';
import { sectionFunnel } from './section-funnel.ts';

const totals = (views: number, clicks: number, contactViews = 0, messages = 0): Totals => ({
  views,
  clicks,
  contactViews,
  messages,
  ctr: ratio(clicks, views),
  seenCtr: ratio(clicks, contactViews),
});

const part = (number: number, title: string, views: number, clicks: number): PageFigures => ({
  path: `/reeks/${title.toLowerCase()}/`,
  kind: 'part',
  title,
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: number,
  views,
  contactViews: 0,
  clicks,
  ctr: ratio(clicks, views),
  seenCtr: ratio(clicks, 0),
  clicksByChannel: { email: clicks, phone: 0, linkedin: 0, message: 0 },
});

const report: Report = {
  period: { days: 7, from: '2026-11-23', to: '2026-11-29' },
  totals: totals(120, 6, 40, 1),
  before: { period: { days: 7, from: '2026-11-16', to: '2026-11-22' }, totals: totals(100, 0, 50) },
  pages: [
    part(1, 'Een', 80, 4),
    part(2, 'Twee', 40, 2),
    part(3, 'Drie', 0, 0),
    {
      ...part(0, 'Job <Coenen>', 7, 0),
      kind: 'author',
      path: '/auteurs/job/',
      series: undefined,
      part: undefined,
    },
  ],
  channels: [],
  daily: [],
  bySource: [
    { name: 'linkedin.com', views: 90, contactViews: 30, clicks: 5, ctr: ratio(5, 90) },
    { name: 'direct', views: 30, contactViews: 10, clicks: 1, ctr: ratio(1, 30) },
  ],
  byCampaign: [{ name: 'najaar', views: 12, contactViews: 2, clicks: 1, ctr: ratio(1, 12) }],
  series: seriesFunnels(
    [
      ['Een', 80, 0],
      ['Twee', 40, 30],
      ['Drie', 0, 0],
    ].map(([title, views, readOnIn], index) => ({
      series: 'reeks',
      seriesTitle: 'Reeks',
      part: index + 1,
      path: `/reeks/${String(title).toLowerCase()}/`,
      title: String(title),
      views: Number(views),
      readOnIn: Number(readOnIn),
      contactViews: 0,
      clicks: 0,
      follows: 0,
    })),
    new Map([['reeks', 3]]),
  ),
  follow: [
    {
      series: 'reeks',
      title: 'Reeks',
      followers: 17,
      failing: 0,
      requested: 4,
      confirmed: 3,
      unsubscribed: 0,
      confirmedShare: ratio(3, 4),
      parts: [],
    },
  ],
  overflow: { sources: { events: 0, days: 0 }, campaigns: { events: 0, days: 0 } },
  newSourcesPerDay: 1000,
  sectionFunnels: [],
};

const input: ReportMailInput = {
  kind: 'weekly',
  report,
  messagesWaiting: 4,
  reportUrl: 'https://reeks.example.com/stats/?dagen=7',
  siteName: 'Reeks',
};

describe('reportMail', () => {
  it('names the week, and gives the totals against the week before', () => {
    const mail = reportMail(input);
    expect(mail.subject).toBe('Weekrapport 23 november 2026 t/m 29 november 2026 (Reeks)');
    expect(mail.text).toContain('- Weergaven: 120 (+20% t.o.v. de week ervoor)');
    expect(mail.text).toContain('- Uitnodiging gezien: 40 (-20% t.o.v. de week ervoor)');
    expect(mail.text).toContain('- Contactklikken: 6 (0 in de week ervoor)');
    expect(mail.text).toContain('- Berichten: 1 (0 in de week ervoor)');
  });

  it('lists the most read parts, sources, campaigns, read-on and follow per series', () => {
    const { text } = reportMail(input);
    expect(text).toMatch(
      /Meest gelezen delen\n- Reeks, deel 1: Een: 80 weergaven, 4 contactklikken \(5,0%\)\n- Reeks, deel 2: Twee: 40 weergaven/,
    );
    // A part without views, and an author page, are not among the parts.
    expect(text).not.toContain('deel 3: Drie: 0');
    expect(text).not.toContain('Coenen');
    expect(text).toContain('Bronnen\n- linkedin.com: 90 weergaven, 5 contactklikken\n- direct: 30 weergaven');
    expect(text).toContain('Campagnes\n- najaar: 12 weergaven, 1 contactklikken');
    expect(text).toContain('- Reeks: 3 nieuwe volgers, 17 volgers nu');
    expect(text).toContain('    - deel 1 → 2: 30 van 80 lazen door (37,5%)');
    expect(text).toContain('    - deel 2 → 3: 0 van 40 lazen door (0,0%)');
    expect(text).toContain('Er staan 4 berichten van lezers in het rapport.');
    expect(text).toContain('Het hele rapport (met inloggen): https://reeks.example.com/stats/?dagen=7');
  });

  it('names the section per part with 20 views or more that lost the most readers', () => {
    expect(reportMail(input).text).toContain(
      'Waar lezers afhaken\nGeen deel met 20 weergaven of meer waarin lezers afhaakten.',
    );
    const funnel = (title: string, views: number, byFurthest: [number, number][]) =>
      sectionFunnel({
        path: `/reeks/${title.toLowerCase()}/`,
        title,
        series: 'reeks',
        seriesTitle: 'Reeks',
        part: title === 'Een' ? 1 : 2,
        sections: [
          { id: 'inleiding', title: 'Inleiding' },
          { id: 'kosten', title: 'Kosten & baten' },
          { id: 'slot', title: 'Slot' },
        ],
        views,
        byFurthest: new Map(byFurthest),
        endReached: 0,
        engaged: new Map(),
        contactViews: 0,
        contacts: 0,
      });
    const { text, html } = reportMail({
      ...input,
      report: {
        ...report,
        // Part 1: 60 views, 50 reached the first section, 21 the second (the largest drop, 29).
        // Part 2 has fewer than 20 views: left out.
        sectionFunnels: [
          funnel('Een', 60, [
            [1, 29],
            [2, 11],
            [3, 10],
          ]),
          funnel('Twee', 19, [[1, 19]]),
        ],
      },
    });
    expect(text).toContain(
      'Waar lezers afhaken\n- Reeks, deel 1: Een: bij "Kosten & baten" van 50 naar 21 weergaven\n',
    );
    expect(text).not.toContain('deel 2: Twee: bij');
    expect(html).toContain('bij &quot;Kosten &amp; baten&quot; van 50 naar 21 weergaven');
  });

  it('names the month, compared with the month before', () => {
    const mail = reportMail({
      ...input,
      kind: 'monthly',
      report: { ...report, period: { days: 30, from: '2026-11-01', to: '2026-11-30' } },
    });
    expect(mail.subject).toBe('Maandrapport november 2026 (Reeks)');
    expect(mail.text).toContain('Weergaven: 120 (+20% t.o.v. de maand ervoor)');
  });

  it('is simple HTML: escaped, no images, no external resources, no tags on its links', () => {
    const { html, text } = reportMail({
      ...input,
      report: { ...report, bySource: [{ ...report.bySource[0]!, name: '<script>x</script>' }] },
      messagesWaiting: 1,
    });
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<img|<link|src=|url\(|utm_/);
    expect([...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1])).toEqual([
      'https://reeks.example.com/stats/?dagen=7',
    ]);
    expect(text).toContain('Er staat 1 bericht van een lezer in het rapport.');
    expect(text).not.toMatch(/utm_/);
  });

  it('says so when there is nothing to list', () => {
    const empty = { ...report, pages: [], bySource: [], byCampaign: [], series: [], follow: [] };
    const { text } = reportMail({ ...input, report: empty, messagesWaiting: 0 });
    expect(text).toContain('Geen weergaven van delen in deze periode.');
    expect(text).toContain('Nog geen reeksen met weergaven.');
    expect(text).toContain('Er staan 0 berichten van lezers in het rapport.');
  });
});
