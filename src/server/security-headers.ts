// Security headers on every response. Page-specific Content-Security-Policies (hashes of each
// page's inline scripts and styles) come from Astro's CSP support; this adds the rest.

export const securityHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** For responses that are not pages (assets, feeds, API answers): nothing may run or frame them. */
export const fallbackContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A `_headers` file (Netlify and Cloudflare Pages format) with the same headers for a static host
 * that serves dist/client without the Node server.
 */
export function staticHeadersFile(pagePolicies: ReadonlyMap<string, string>): string {
  const block = (path: string, headers: Record<string, string>) =>
    `${path}\n${Object.entries(headers).map(([key, value]) => `  ${key}: ${value}`).join('\n')}\n`;
  const pages = [...pagePolicies].map(([path, policy]) => {
    const page = path === '/' || path.endsWith('/') || /\.[a-z]+$/.test(path) ? path : `${path}/`;
    return block(page, { 'Content-Security-Policy': policy });
  });
  return [block('/*', securityHeaders), ...pages].join('\n');
}
