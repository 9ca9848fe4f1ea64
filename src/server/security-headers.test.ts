import { describe, expect, it } from 'vitest';
import { securityHeaders, staticHeadersFile } from './security-headers.ts';

describe('staticHeadersFile', () => {
  const file = staticHeadersFile(new Map([['/', "script-src 'self'"], ['/reeks', "script-src 'self' 'sha256-x'"]]));

  it('sends the security headers on every path', () => {
    expect(file.startsWith('/*\n')).toBe(true);
    for (const [key, value] of Object.entries(securityHeaders)) expect(file).toContain(`  ${key}: ${value}\n`);
  });

  it("gives each page its own policy, at the address with the trailing slash the site uses", () => {
    expect(file).toContain("/\n  Content-Security-Policy: script-src 'self'\n");
    expect(file).toContain("/reeks/\n  Content-Security-Policy: script-src 'self' 'sha256-x'\n");
  });
});
