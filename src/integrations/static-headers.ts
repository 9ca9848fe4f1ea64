// Writes dist/client/_headers so a static host sends the same headers as `npm start`: the same
// policies, and HSTS when the site's address is https.
import { writeFileSync } from 'node:fs';
import type { AstroIntegration } from 'astro';
import { securityHeadersFor, staticHeadersFile } from '../server/security-headers.ts';
import { site } from '../site.config.ts';

export function staticHeaders(): AstroIntegration {
  const policies = new Map<string, string>();
  let clientDir: URL | undefined;
  return {
    name: 'reeks:static-headers',
    hooks: {
      'astro:config:done': ({ config }) => {
        clientDir = config.build.client;
      },
      'astro:build:generated': ({ routeToHeaders }) => {
        for (const [path, { headers }] of routeToHeaders) {
          const policy = headers.get('Content-Security-Policy');
          if (policy) policies.set(path, policy);
        }
      },
      'astro:build:done': ({ dir }) => {
        // In the order of the paths: the same file whichever pages this build rendered or kept.
        const byPath = new Map([...policies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        writeFileSync(
          new URL('_headers', clientDir ?? dir),
          staticHeadersFile(byPath, securityHeadersFor(site.url)),
        );
      },
    },
  };
}
