// The browser editor (Keystatic) at /admin. In `npm run dev` it reads and writes the content
// folder. In a production build it is there only when the five GitHub settings are set
// (src/server/editor-settings.ts; docs/editor-on-the-live-site.md): then editors log in with
// GitHub and each save is a commit on the repository. Without them React and Keystatic, which
// are development dependencies, are never imported, so no page, route or byte of them ends up in
// dist/.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { relative } from 'node:path';
import type { AstroIntegration } from 'astro';
import type { Plugin, ViteDevServer } from 'vite';
import { dutchLabelsPlugin } from '../editor/dutch-labels.ts';
import type { EditorStorage } from '../editor/keystatic.ts';
import type { EditorModel } from '../editor/model.ts';
import { editorRequestUrl } from '../server/editor-routes.ts';
import { editorMarker, type EditorSettings } from '../server/editor-settings.ts';
import { contentDir } from '../site.config.ts';

const modelId = 'virtual:reeks/editor-model';

/**
 * Serves the content model and the storage to the editor. In dev the model is computed again
 * each time the editor is opened (so a new part is offered the number that is free then); a
 * build computes it once.
 */
function editorModelPlugin(editorModel: (contentDir: string) => EditorModel, storage: EditorStorage): Plugin {
  return {
    name: 'reeks:editor-model',
    resolveId: (id) => (id === modelId ? `\0${modelId}` : undefined),
    load: (id) =>
      id === `\0${modelId}`
        ? `export default ${JSON.stringify(editorModel(contentDir))};\nexport const storage = ${JSON.stringify(storage)};`
        : undefined,
  };
}

/** Adapts Keystatic's URLs to this site in `npm run dev`, and has the editor see the files as they are now. */
function editorDevServer(): Plugin {
  return {
    name: 'reeks:editor-dev-server',
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
            request.url = editorRequestUrl(request.url ?? '/');
            next();
          },
        });
      };
    },
  };
}

/** Keystatic's integration, with its page and API route replaced by ours in src/editor/. */
function withOwnRoutes(keystatic: AstroIntegration, api: string): AstroIntegration {
  const setup = keystatic.hooks['astro:config:setup']!;
  return {
    ...keystatic,
    hooks: {
      ...keystatic.hooks,
      'astro:config:setup': (options) =>
        setup({
          ...options,
          injectRoute: (route) =>
            options.injectRoute({
              ...route,
              entrypoint: new URL(
                `../editor/${route.pattern.startsWith('/api/keystatic') ? api : 'keystatic-page.astro'}`,
                import.meta.url,
              ),
            }),
        }),
    },
  };
}

/** `settings`: the editor's GitHub settings, or null for none (src/server/editor-settings.ts). */
export function editor(settings: EditorSettings | null): AstroIntegration {
  return {
    name: 'reeks:editor',
    hooks: {
      'astro:config:setup': async ({ command, updateConfig, injectRoute }) => {
        const live = command === 'build' && settings !== null;
        if (command !== 'dev' && !live) return;
        const [{ default: react }, { default: keystatic }, { editorModel }] = await Promise.all([
          import('@astrojs/react'),
          import('@keystatic/astro'),
          import('../editor/model.ts'),
        ]);
        const storage: EditorStorage = live
          ? { kind: 'github', repo: settings.repo, pathPrefix: relative(process.cwd(), contentDir) }
          : { kind: 'local' };
        const labels = dutchLabelsPlugin();
        updateConfig({
          integrations: [react(), withOwnRoutes(keystatic(), live ? 'github-api.ts' : 'api.ts')],
          vite: {
            plugins: [editorModelPlugin(editorModel, storage), labels, ...(live ? [] : [editorDevServer()])],
            // In dev, Keystatic reaches the browser through Vite's dependency bundle.
            optimizeDeps: { rolldownOptions: { plugins: [labels] } },
          },
          // In dev the policy is off: it does not matter there. In a build Astro hashes the
          // editor page's inline scripts like any page's, and `npm start` gives the editor's pages
          // their own policy (src/server/editor-routes.ts); every other page keeps the strict one.
          ...(live ? {} : { security: { csp: false } }),
        });
        if (live)
          injectRoute({
            pattern: '/admin',
            entrypoint: new URL('../editor/admin.ts', import.meta.url),
            prerender: false,
          });
      },
      'astro:build:done': ({ dir }) => {
        if (!settings) return;
        // Tells `npm start` that this build has the editor (builtWithEditor).
        const serverDir = new URL('../server/', dir);
        mkdirSync(serverDir, { recursive: true });
        writeFileSync(
          new URL(editorMarker, serverDir),
          `${JSON.stringify({ repo: `${settings.repo.owner}/${settings.repo.name}` })}\n`,
        );
      },
      'astro:server:start': ({ address, logger }) => {
        // Keystatic has the dev server listen on 127.0.0.1 unless a host is given.
        const host = address.address === '127.0.0.1' ? address.address : 'localhost';
        logger.info(`Editor in de browser: http://${host}:${address.port}/admin`);
      },
    },
  };
}
