// Security headers on every response. Page-specific Content-Security-Policies (hashes of each
// page's inline scripts and styles) come from Astro's CSP support; this adds the rest.
import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../site.config.ts';
import { editorContentSecurityPolicy, isEditorPath } from './editor-routes.ts';

export const securityHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * HSTS: once a browser has seen the site over https, it uses nothing else for a year, so no
 * reader's first request can be turned into plain http on the way. Sent only when the site's
 * address (`SITE_URL`) is https: on a site without TLS it would lock readers out.
 */
export const strictTransportSecurity = 'max-age=31536000';

/** The headers of every answer of the site at `siteUrl`. */
export function securityHeadersFor(siteUrl: string): Readonly<Record<string, string>> {
  return new URL(siteUrl).protocol === 'https:'
    ? { ...securityHeaders, 'Strict-Transport-Security': strictTransportSecurity }
    : securityHeaders;
}

/** For responses that are not pages (assets, feeds, API answers): nothing may run or frame them. */
export const fallbackContentSecurityPolicy =
  "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A script's own policy applies when it runs as a worker: search runs Pagefind in one, which
 * fetches the index and compiles its WebAssembly.
 */
export const scriptContentSecurityPolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A `_headers` file (Netlify and Cloudflare Pages format) with the same headers for a static host
 * that serves dist/client without the Node server: `headers` on every path, then each page's policy.
 */
export function staticHeadersFile(
  pagePolicies: ReadonlyMap<string, string>,
  headers: Readonly<Record<string, string>> = securityHeaders,
): string {
  const block = (path: string, headers: Record<string, string>) =>
    `${path}\n${Object.entries(headers)
      .map(([key, value]) => `  ${key}: ${value}`)
      .join('\n')}\n`;
  const pages = [...pagePolicies].map(([path, policy]) => {
    const page = path === '/' || path.endsWith('/') || /\.[a-z]+$/.test(path) ? path : `${path}/`;
    return block(page, { 'Content-Security-Policy': policy });
  });
  return [block('/*', headers), ...pages].join('\n');
}

/**
 * Adds `headers` (securityHeadersFor the site) to a response before it is written. A page keeps the policy Astro
 * gave it; a page without one (the 404 page served for an unknown address) gets the site's
 * policy without hashes, anything else the strict fallback. A page of the browser editor (only
 * in a build with it) gets the editor's policy instead (src/server/editor-routes.ts).
 */
export function addSecurityHeaders(
  response: ServerResponse,
  pathname = '',
  headers: Readonly<Record<string, string>> = securityHeaders,
): void {
  const editorPage = isEditorPath(pathname);
  for (const [key, value] of Object.entries(headers)) response.setHeader(key, value);
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    const headers = args.find((arg) => typeof arg === 'object' && arg !== null) as
      Record<string, unknown> | undefined;
    const has = (name: string) =>
      this.hasHeader(name) ||
      Object.keys(headers ?? {}).some((key) => key.toLowerCase() === name.toLowerCase());
    const type = String(
      this.getHeader('content-type') ??
        Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === 'content-type')?.[1] ??
        '',
    );
    if (editorPage && type.includes('text/html')) {
      const headerName = Object.keys(headers ?? {}).find(
        (key) => key.toLowerCase() === 'content-security-policy',
      );
      const pagePolicy = String(
        (headerName && headers![headerName]) ??
          this.getHeader('content-security-policy') ??
          contentSecurityPolicy.join('; '),
      );
      if (headerName) delete headers![headerName];
      this.setHeader('Content-Security-Policy', editorContentSecurityPolicy(pagePolicy));
    }
    // A 304 carries no type, and its headers replace the cached ones: leave the policy alone.
    else if (!has('content-security-policy') && args[0] !== 304) {
      const policy = type.includes('text/html')
        ? contentSecurityPolicy.join('; ')
        : type.includes('javascript')
          ? scriptContentSecurityPolicy
          : fallbackContentSecurityPolicy;
      this.setHeader('Content-Security-Policy', policy);
    }
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}
