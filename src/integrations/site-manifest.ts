// Moves the site manifest (src/pages/site-manifest.json.ts) from the public files to beside the
// server code: it is the server's own data, not something to publish.
import { mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

export function siteManifest(): AstroIntegration {
  let client: URL;
  let server: URL;
  return {
    name: 'reeks:site-manifest',
    hooks: {
      'astro:config:done': ({ config }) => {
        client = config.build.client;
        server = config.build.server;
      },
      'astro:build:done': () => {
        mkdirSync(fileURLToPath(server), { recursive: true });
        renameSync(new URL('site-manifest.json', client), new URL('site-manifest.json', server));
      },
    },
  };
}
