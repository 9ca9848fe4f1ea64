// What the report's "Publicaties" routes (/stats/publicaties/ and /stats/publicaties.json) need,
// in one call: the report's login (the same gate as /stats/), then the last publishes.
import type { PublishRun } from '../lib/publish-status.ts';
import { isUnavailable } from './database.ts';
import { reportHeaders } from './report-auth.ts';
import { readPublishRuns } from './publish-status.ts';
import { serverContext } from './route-context.ts';

export { reportHeaders };

/** The last publishes for this request, or the answer when there are none to give (404, 401, 429, 503). */
export async function publishRunsFor(
  request: Request,
  socketAddress: string | undefined,
): Promise<PublishRun[] | Response> {
  const context = await serverContext();
  const refused = await context.refuseReport(request, context.clientOf(request, socketAddress));
  if (refused) return refused;
  try {
    return await readPublishRuns(context.database);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    return new Response('De publicaties zijn even niet bereikbaar. Probeer het later nog eens.\n', {
      status: 503,
      headers: { ...reportHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '30' },
    });
  }
}
