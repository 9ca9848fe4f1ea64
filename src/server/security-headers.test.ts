import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../site.config.ts';
import {
  addSecurityHeaders,
  fallbackContentSecurityPolicy,
  scriptContentSecurityPolicy,
  securityHeaders,
  securityHeadersFor,
  staticHeadersFile,
} from './security-headers.ts';

describe('securityHeadersFor', () => {
  it('adds HSTS for a year to a site on https, and never to one on plain http', () => {
    expect(securityHeadersFor('https://reeks.gemeente.nl')).toEqual({
      ...securityHeaders,
      'Strict-Transport-Security': 'max-age=31536000',
    });
    expect(securityHeadersFor('http://localhost:4321')).toEqual(securityHeaders);
    expect(securityHeadersFor('http://localhost:4321')).not.toHaveProperty('Strict-Transport-Security');
  });
});

describe('staticHeadersFile', () => {
  const file = staticHeadersFile(
    new Map([
      ['/', "script-src 'self'"],
      ['/reeks', "script-src 'self' 'sha256-x'"],
    ]),
  );

  it('sends the security headers on every path', () => {
    expect(file.startsWith('/*\n')).toBe(true);
    for (const [key, value] of Object.entries(securityHeaders))
      expect(file).toContain(`  ${key}: ${value}\n`);
  });

  it('gives each page its own policy, at the address with the trailing slash the site uses', () => {
    expect(file).toContain("/\n  Content-Security-Policy: script-src 'self'\n");
    expect(file).toContain("/reeks/\n  Content-Security-Policy: script-src 'self' 'sha256-x'\n");
  });
});

describe('addSecurityHeaders', () => {
  async function headersFor(status: number, type?: string) {
    const { createServer } = await import('node:http');
    const server = createServer((_, response) => {
      addSecurityHeaders(response);
      response.writeHead(status, type ? { 'Content-Type': type } : {}).end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/`);
    server.close();
    return response.headers;
  }

  it('gives every response the security headers, and a policy fitting its type', async () => {
    const page = await headersFor(200, 'text/html');
    expect(page.get('x-content-type-options')).toBe('nosniff');
    expect(page.get('content-security-policy')).toBe(contentSecurityPolicy.join('; '));
    expect((await headersFor(200, 'text/javascript')).get('content-security-policy')).toBe(
      scriptContentSecurityPolicy,
    );
    expect((await headersFor(200, 'application/json')).get('content-security-policy')).toBe(
      fallbackContentSecurityPolicy,
    );
  });

  it('leaves the cached policy alone on a 304, which would otherwise replace it', async () => {
    const notModified = await headersFor(304);
    expect(notModified.get('x-content-type-options')).toBe('nosniff');
    expect(notModified.get('content-security-policy')).toBeNull();
  });
});
