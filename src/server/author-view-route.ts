// What the author's read-only view (/stats/auteur/?link=…) and the form that makes its links
// (/stats/auteurslink/) need, in one call each. The view takes no login: the signed link is the
// check (src/server/report-link.ts), and a link that does not check is the site's 404.
import { lastDays, periodDays } from '../lib/period.ts';
import { authorReport } from '../lib/report-author.ts';
import type { Report } from '../lib/report-figures.ts';
import { site, tracking } from '../site.config.ts';
import { readBody } from './http.ts';
import { periodBefore } from './report.ts';
import {
  authorLinkToken,
  authorLinkUrl,
  authorPaths,
  authorViewHeaders,
  checkAuthorLink,
  defaultLinkDays,
  knownAuthors,
  maxLinkDays,
} from './report-link.ts';
import { reportHeaders } from './report-auth.ts';
import { serverContext } from './route-context.ts';

export { authorViewHeaders, defaultLinkDays, maxLinkDays, reportHeaders };

export interface AuthorView {
  author: string;
  authorName: string;
  report: Report;
  token: string;
  expiresAt: Date;
}

const notFound = () => new Response(null, { status: 404, headers: authorViewHeaders });

/** The author's figures for this request, or the 404 page: no link, or one altered, expired or revoked. */
export async function authorViewFor(url: URL): Promise<AuthorView | Response> {
  const context = await serverContext();
  const { config, keys, database } = context;
  const now = config.testNow ?? new Date();
  const token = url.searchParams.get('link');
  const granted = checkAuthorLink(keys, config.reportLinkGeneration, token, now);
  if (!granted) return notFound();
  const { reportPeriods, defaultReportPeriod } = tracking;
  const days = periodDays(url.searchParams.get('dagen'), reportPeriods, defaultReportPeriod);
  if (days === undefined) return notFound();
  const period = lastDays(days, now, site.timeZone);
  const [report, reportBefore, paths, authors] = await Promise.all([
    context.readReport(period),
    context.readReport(periodBefore(period)),
    authorPaths(database, granted.author),
    knownAuthors(database),
  ]);
  return {
    author: granted.author,
    authorName: authors.find((known) => known.id === granted.author)?.name ?? granted.author,
    report: authorReport(report, reportBefore, paths),
    token: token!,
    expiresAt: granted.expiresAt,
  };
}

export interface AuthorLinkForm {
  authors: { id: string; name: string }[];
  /** The link just made (after a POST). */
  made?: { url: string; authorName: string; expiresAt: Date };
  /** What was wrong with the form posted. */
  error?: string;
  days: number;
}

/**
 * The form for whoever has the report's login, or the answer when there is none to give (the
 * report's 404, 401 or 429; 4xx for a body that is not the form). A POST makes a link.
 */
export async function authorLinkFormFor(
  request: Request,
  socketAddress: string | undefined,
): Promise<{ form: AuthorLinkForm; status: number } | Response> {
  const context = await serverContext();
  const refused = await context.refuseReport(request, context.clientOf(request, socketAddress));
  if (refused) return refused;
  const { config, keys, database } = context;
  const authors = await knownAuthors(database);
  if (request.method !== 'POST') return { form: { authors, days: defaultLinkDays }, status: 200 };
  const body = await readBody(request, {
    mediaTypes: ['application/x-www-form-urlencoded'],
    maxBytes: 2048,
    timeoutMs: config.bodyTimeoutSeconds * 1000,
  });
  if (!body.ok)
    return new Response(`Dit formulier kon niet worden gelezen.\n`, {
      status: body.status,
      headers: { ...reportHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  const fields = new URLSearchParams(body.text);
  const author = authors.find((known) => known.id === fields.get('auteur'));
  const daysText = fields.get('geldig') ?? '';
  const days = /^\d{1,3}$/.test(daysText) ? Number(daysText) : NaN;
  if (!author)
    return { form: { authors, days: defaultLinkDays, error: 'Kies een auteur uit de lijst.' }, status: 400 };
  if (!(days >= 1 && days <= maxLinkDays))
    return {
      form: {
        authors,
        days: defaultLinkDays,
        error: `Kies een geldigheid van 1 tot en met ${maxLinkDays} dagen.`,
      },
      status: 400,
    };
  const now = config.testNow ?? new Date();
  const token = authorLinkToken(keys, config.reportLinkGeneration, { author: author.id, days, now });
  return {
    form: {
      authors,
      days,
      made: {
        url: authorLinkUrl(config.siteUrl, token),
        authorName: author.name,
        expiresAt: new Date(now.getTime() + days * 86_400_000),
      },
    },
    status: 200,
  };
}
