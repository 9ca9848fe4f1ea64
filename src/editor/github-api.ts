// Keystatic's API on the live site, in GitHub mode: the login with GitHub and its tokens. Saves
// go from the editor straight to GitHub as commits; our save check cannot run here, so the CI
// workflow (.github/workflows/check.yml) is the gate (content/README.md).
import { makeGenericAPIRouteHandler } from '@keystatic/core/api/generic';
import type { APIRoute } from 'astro';
import config from '../../keystatic.config.ts';
import { serverContext } from '../server/route-context.ts';

export const prerender = false;

/**
 * The site's public origin, from SITE_URL at build time. Keystatic builds the OAuth callback
 * address from the request's URL, which behind a proxy is the internal one.
 */
const publicOrigin = new URL(import.meta.env.SITE).origin;

let handler: ReturnType<typeof makeGenericAPIRouteHandler> | null | undefined;

export const ALL: APIRoute = async ({ request }) => {
  if (handler === undefined) {
    // The server's own settings, checked by `npm start` before it took a request.
    const settings = (await serverContext()).config.editor;
    handler =
      settings &&
      makeGenericAPIRouteHandler({
        config,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        secret: settings.secret,
      });
  }
  if (!handler) return new Response('Not Found', { status: 404 });
  const { pathname, search } = new URL(request.url);
  const { body, headers, status } = await handler(
    new Request(new URL(`${pathname}${search}`, publicOrigin), request),
  );
  return new Response(body as BodyInit | null, { status, headers: headers as HeadersInit });
};
