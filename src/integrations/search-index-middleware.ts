// Production builds only (added by search-index.ts): hands each prerendered page to the search
// indexer as it is rendered, then passes it on unchanged to be written to disk.
import { defineMiddleware } from 'astro:middleware';
import { pageIndexerKey } from '../lib/search-paths.ts';

type PageIndexer = { add(url: string, html: string): void };

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  const indexer = (globalThis as { [pageIndexerKey]?: PageIndexer })[pageIndexerKey];
  if (!indexer || !context.isPrerendered || !response.headers.get('content-type')?.startsWith('text/html'))
    return response;
  const html = await response.text();
  indexer.add(context.url.pathname, html);
  return new Response(html, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
});
