// The browser editor (Keystatic) at /admin, in `npm run dev` only. A build or `npm start` never
// loads it: React and Keystatic are development dependencies, imported here only for `astro dev`,
// so no page, route or byte of them ends up in dist/.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AstroIntegration } from 'astro';
import type { Plugin, ViteDevServer } from 'vite';
import type { EditorModel } from '../editor/model.ts';
import { contentDir } from '../site.config.ts';

const modelId = 'virtual:reeks/editor-model';

/**
 * Serves the content model to the editor, computed again each time the editor is opened (so a
 * new part is offered the number that is free then), and adapts Keystatic's URLs to this site.
 */
function editorDevServer(editorModel: (contentDir: string) => EditorModel): Plugin {
  return {
    name: 'reeks:editor',
    resolveId: (id) => (id === modelId ? `\0${modelId}` : undefined),
    load: (id) => (id === `\0${modelId}` ? `export default ${JSON.stringify(editorModel(contentDir))};` : undefined),
    configureServer(server: ViteDevServer) {
      /** The next request for the model computes it again, from the files as they are now. */
      const refreshModel = () => {
        for (const environment of Object.values(server.environments)) {
          const module = environment.moduleGraph.getModuleById(`\0${modelId}`);
          if (module) environment.moduleGraph.invalidateModule(module);
        }
      };
      // Ahead of Astro's own middleware (which it puts first the same way, after all plugins are
      // set up), because that answers a URL without a trailing slash with a 404.
      return () => {
        server.middlewares.stack.unshift({
          route: '',
          handle: (request: IncomingMessage, response: ServerResponse, next: () => void) => {
            const url = new URL(request.url ?? '/', 'http://localhost');
            if (/^\/admin\/?$/.test(url.pathname)) {
              response.writeHead(302, { location: '/keystatic' }).end();
              return;
            }
            if (/^\/keystatic(\/|$)/.test(url.pathname)) {
              // Each time the editor is opened or reloaded, it gets the content as it is then.
              refreshModel();
              // Keystatic links a web font from Google; the editor works as well without it,
              // and nothing of the site should call out to the internet.
              response.setHeader('content-security-policy', "style-src 'self' 'unsafe-inline'");
            }
            // Keystatic asks for its pages and API without a trailing slash, the site wants one
            // (trailingSlash: 'always'): add it on the way in, leaving the browser's address alone.
            if (/^\/(api\/)?keystatic(\/|$)/.test(url.pathname) && !url.pathname.endsWith('/')) {
              request.url = `${url.pathname}/${url.search}`;
            }
            next();
          },
        });
      };
    },
  };
}

/** Keystatic's integration, with its API route replaced by ours (src/editor/api.ts). */
function onContentDir(keystatic: AstroIntegration): AstroIntegration {
  const setup = keystatic.hooks['astro:config:setup']!;
  return {
    ...keystatic,
    hooks: {
      ...keystatic.hooks,
      'astro:config:setup': (options) =>
        setup({
          ...options,
          injectRoute: (route) =>
            options.injectRoute(
              route.pattern.startsWith('/api/keystatic') ? { ...route, entrypoint: new URL('../editor/api.ts', import.meta.url) } : route,
            ),
        }),
    },
  };
}

export function editor(): AstroIntegration {
  return {
    name: 'reeks:editor',
    hooks: {
      'astro:config:setup': async ({ command, updateConfig }) => {
        if (command !== 'dev') return;
        const [{ default: react }, { default: keystatic }, { editorModel }] = await Promise.all([
          import('@astrojs/react'),
          import('@keystatic/astro'),
          import('../editor/model.ts'),
        ]);
        updateConfig({
          // Keystatic's pages run inline scripts the page policy has no hashes for. The policy
          // matters in production (npm start, _headers); the editor only exists in dev.
          security: { csp: false },
          integrations: [react(), onContentDir(keystatic())],
          vite: { plugins: [editorDevServer(editorModel)] },
        });
      },
      'astro:server:start': ({ address, logger }) => {
        // Keystatic has the dev server listen on 127.0.0.1 unless a host is given.
        const host = address.address === '127.0.0.1' ? address.address : 'localhost';
        logger.info(`Editor in de browser: http://${host}:${address.port}/admin`);
      },
    },
  };
}
