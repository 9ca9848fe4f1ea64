// Keystatic's API in `npm run dev`: reads and writes the content folder of src/site.config.ts
// (Keystatic's own route would use the working directory), and refuses a save that would add a
// content problem, with the content check's messages (save-check.ts).
import { makeGenericAPIRouteHandler } from '@keystatic/core/api/generic';
import type { APIRoute } from 'astro';
import config from '../../keystatic.config.ts';
import { formatProblems } from '../lib/content-validation.ts';
import { contentDir } from '../site.config.ts';
import { problemsAddedBy, type ContentChange } from './save-check.ts';

export const prerender = false;

const keystatic = makeGenericAPIRouteHandler({ config, localBaseDirectory: contentDir });

/** The change in a save request, or undefined when it is not one Keystatic would accept anyway. */
async function changeIn(request: Request): Promise<ContentChange | undefined> {
  if (request.method !== 'POST' || !/^\/api\/keystatic\/update\/?$/.test(new URL(request.url).pathname))
    return undefined;
  try {
    const body = (await request.clone().json()) as {
      additions: { path: string; contents: string }[];
      deletions: { path: string }[];
    };
    return {
      additions: body.additions.map(({ path, contents }) => ({
        path,
        contents: Buffer.from(contents, 'base64url'),
      })),
      deletions: body.deletions.map(({ path }) => ({ path })),
    };
  } catch {
    return undefined;
  }
}

export const ALL: APIRoute = async ({ request }) => {
  const change = await changeIn(request);
  if (change) {
    let problems;
    try {
      problems = await problemsAddedBy(contentDir, change);
    } catch (error) {
      return new Response(`Niet opgeslagen: ${(error as Error).message}`, { status: 400 });
    }
    if (problems.length > 0) {
      return new Response(
        `Niet opgeslagen: dit zou ${problems.length === 1 ? 'een fout' : `${problems.length} fouten`} in de inhoud geven. Pas het aan en sla opnieuw op.\n${formatProblems(problems)}`,
        { status: 422, headers: { 'content-type': 'text/plain; charset=utf-8' } },
      );
    }
  }
  const { body, headers, status } = await keystatic(request);
  return new Response(body as BodyInit | null, { status, headers: headers as HeadersInit });
};
