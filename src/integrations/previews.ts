// Moves the previews of drafts and scheduled posts (src/pages/voorbeeld-bouw/, docs/previews.md)
// out of the public files into the server's folder, as site-manifest.ts does with the manifest:
// <server>/previews/<key>.html, and index.json with what the server needs to know of them (the
// Content-Security-Policy Astro made for each page among it). Done once the pages are written,
// before the integrations after it in astro.config.mjs read the public files or the pages'
// headers: search indexes none of them, and no headers file names them.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { previewBuildPath, previewFolder, previewIndexFile, type PreviewIndex } from '../lib/previews.ts';

export function previews(): AstroIntegration {
  let client: URL;
  let server: URL;
  return {
    name: 'reeks:previews',
    hooks: {
      'astro:config:done': ({ config }) => {
        client = config.build.client;
        server = config.build.server;
      },
      'astro:build:generated': ({ routeToHeaders }) => {
        const prefix = previewBuildPath.replace(/\/$/, '');
        const policies: Record<string, string> = {};
        for (const [path, { headers }] of routeToHeaders) {
          if (path !== prefix && !path.startsWith(`${prefix}/`)) continue;
          const key = path.slice(prefix.length).replace(/^\/|\/$/g, '');
          const policy = headers.get('Content-Security-Policy');
          if (key && policy) policies[key] = policy;
          routeToHeaders.delete(path);
        }
        const from = fileURLToPath(new URL(`.${previewBuildPath}`, client));
        const to = fileURLToPath(new URL(`${previewFolder}/`, server));
        rmSync(to, { recursive: true, force: true });
        mkdirSync(to, { recursive: true });
        if (!existsSync(from)) return;
        for (const entry of readdirSync(from, { withFileTypes: true })) {
          if (entry.isDirectory() && existsSync(`${from}/${entry.name}/index.html`))
            renameSync(`${from}/${entry.name}/index.html`, `${to}/${entry.name}.html`);
        }
        const index = JSON.parse(readFileSync(`${from}/${previewIndexFile}`, 'utf8')) as PreviewIndex;
        writeFileSync(`${to}/${previewIndexFile}`, JSON.stringify({ ...index, policies }));
        rmSync(from, { recursive: true, force: true });
      },
    },
  };
}
