// What the server needs to know of this build (src/server/context.ts): the pages with a contact
// block, each page's social preview card, the series and their parts (for following), and the retention its privacy page states. Written at
// build time and moved out of the public files by src/integrations/site-manifest.ts.
import type { APIRoute } from 'astro';
import { getContactPages, getFollowSeries, getOgCards } from '../lib/collections.ts';
import type { SiteManifest } from '../server/context.ts';
import { messageForm } from '../site.config.ts';

export const GET: APIRoute = async () =>
  Response.json({
    pages: await getContactPages(),
    ogCards: await getOgCards(),
    followSeries: await getFollowSeries(),
    messageRetentionDays: messageForm.retentionDays,
  } satisfies SiteManifest);
