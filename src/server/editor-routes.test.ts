import { describe, expect, it } from 'vitest';
import { editorContentSecurityPolicy, editorRequestUrl, isEditorPath } from './editor-routes.ts';

describe('isEditorPath', () => {
  it("knows the editor's pages and API, and nothing else", () => {
    for (const path of [
      '/admin',
      '/admin/',
      '/keystatic',
      '/keystatic/collection/posts',
      '/api/keystatic/github/login',
      '/keystatic?x=1',
    ])
      expect(isEditorPath(path), path).toBe(true);
    for (const path of ['/', '/administratie/', '/keystatic-reeks/', '/api/events/'])
      expect(isEditorPath(path), path).toBe(false);
  });
});

describe('editorRequestUrl', () => {
  it("adds the trailing slash the site wants to Keystatic's pages and API, keeping the query", () => {
    expect(editorRequestUrl('/keystatic')).toBe('/keystatic/');
    expect(editorRequestUrl('/api/keystatic/github/login?from=collection')).toBe(
      '/api/keystatic/github/login/?from=collection',
    );
    expect(editorRequestUrl('/keystatic/collection/posts/')).toBe('/keystatic/collection/posts/');
    expect(editorRequestUrl('/digitale-transformatie')).toBe('/digitale-transformatie');
  });
});

describe('editorContentSecurityPolicy', () => {
  const page =
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; script-src 'self' 'sha256-abc='; style-src 'self' 'sha256-def='";

  it("allows inline styles and GitHub's API, and keeps the page's script hashes and the rest", () => {
    const policy = editorContentSecurityPolicy(page);
    expect(policy).toContain("script-src 'self' 'sha256-abc='");
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).not.toContain('sha256-def=');
    expect(policy).toContain("connect-src 'self' https://api.github.com");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
