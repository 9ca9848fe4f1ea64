// What the browser editor's addresses need from the server, in `npm run dev` and `npm start` alike.

/** The editor's pages and its API: /admin, /keystatic/…, /api/keystatic/…. */
export function isEditorPath(path: string): boolean {
  return /^\/(admin|keystatic|api\/keystatic)([/?]|$)/.test(path);
}

/**
 * Keystatic asks for its pages and API without a trailing slash, the site wants one
 * (trailingSlash: 'always'): the request URL with the slash added, the browser's address left alone.
 */
export function editorRequestUrl(url: string): string {
  const { pathname, search } = new URL(url, 'http://localhost');
  if (!/^\/(api\/)?keystatic(\/|$)/.test(pathname) || pathname.endsWith('/')) return url;
  return `${pathname}/${search}`;
}

/**
 * The policy of the editor's pages, from the one Astro gave the page (whose script hashes it
 * keeps). Keystatic styles its interface with inline styles, and talks to GitHub's API from the
 * browser; it loads nothing else from outside (its Google font is left out on purpose).
 */
export function editorContentSecurityPolicy(pagePolicy: string): string {
  const directives = new Map(
    pagePolicy
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => [directive.split(/\s+/)[0]!, directive] as const),
  );
  directives.set('style-src', "style-src 'self' 'unsafe-inline'");
  directives.set('connect-src', "connect-src 'self' https://api.github.com");
  directives.set('img-src', "img-src 'self' data: blob: https://avatars.githubusercontent.com");
  return [...directives.values()].join('; ');
}
