// "Voorbeeld delen" in the report area (src/pages/stats/voorbeelden.astro): behind the report's
// login, the previews of the served release, and on POST a signed link for one of them that lasts
// the days asked for (1 to 30, 7 by default). Astro's origin check refuses a POST from elsewhere.
import {
  findPreview,
  findPublished,
  previewDays,
  previewDaysRange,
  type PreviewEntry,
} from '../lib/previews.ts';
import { readBody } from './http.ts';
import { previewLink } from './preview-links.ts';
import { providedPreviews } from './preview-route.ts';
import { reportHeaders } from './report-auth.ts';
import { serverContext } from './route-context.ts';

/**
 * Headers of the page: those of the report. Not "no-referrer": with it a browser sends its form
 * with "Origin: null", which the origin check refuses; the link made is no link on the page.
 */
export const shareHeaders = reportHeaders;

export interface SharePage {
  status: number;
  previews: readonly PreviewEntry[];
  /** The one asked for by ?deel= (the editor's preview button), if any. */
  asked?: PreviewEntry;
  /** The live page of the post ?deel= names, when it is published rather than a preview. */
  live?: string;
  made?: { entry: PreviewEntry; url: string; expiresAt: Date; days: number };
  problem?: string;
}

const maxBodyBytes = 1024;

/** The page for this request, or the answer when there is none to give (401, 429, 405). */
export async function sharePageFor(
  request: Request,
  url: URL,
  socketAddress: string | undefined,
): Promise<SharePage | Response> {
  const context = await serverContext();
  const refused = await context.refuseReport(request, context.clientOf(request, socketAddress));
  if (refused) return refused;
  const { list, published } = providedPreviews();
  const name = url.searchParams.get('deel');
  const asked = name ? findPreview(list, name) : undefined;
  const live = name && !asked ? findPublished(published, name) : undefined;
  const page: SharePage = { status: 200, previews: list, asked, live };
  if (request.method === 'GET' || request.method === 'HEAD') return page;
  if (request.method !== 'POST') {
    return new Response('405 Method Not Allowed\n', {
      status: 405,
      headers: { ...shareHeaders, Allow: 'GET, HEAD, POST', 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  const body = await readBody(request, {
    mediaTypes: ['application/x-www-form-urlencoded'],
    maxBytes: maxBodyBytes,
    timeoutMs: context.config.bodyTimeoutSeconds * 1000,
  });
  if (!body.ok)
    return {
      ...page,
      status: body.status,
      problem: 'Dit formulier kwam niet goed aan. Probeer het opnieuw.',
    };
  const form = new URLSearchParams(body.text);
  const entry = list.find((preview) => preview.key === form.get('deel'));
  if (!entry)
    return {
      ...page,
      status: 400,
      problem: 'Dit stuk heeft geen voorbeeld (meer): misschien is het al gepubliceerd.',
    };
  const days = previewDays(form.get('dagen'));
  if (days === undefined)
    return {
      ...page,
      status: 400,
      asked: entry,
      problem: `Kies een geldigheid van ${previewDaysRange.min} tot ${previewDaysRange.max} dagen.`,
    };
  const link = previewLink(context.keys, context.config.siteUrl, entry.id, days);
  return { ...page, asked: entry, made: { entry, days, ...link } };
}
