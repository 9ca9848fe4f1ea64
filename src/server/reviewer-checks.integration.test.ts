// What a reviewer at a municipality checks first, on the built site as `npm start` serves it and
// as a static host would: /.well-known/security.txt (RFC 9116) and HSTS on a site on https.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, removeTemporaryBuilds } from '../../e2e/fixtures/build.ts';
import { productionServers, rawPost, type RunningServer } from '../../e2e/fixtures/server.ts';

const { tempDatabase, serve, buildDir } = productionServers('reviewer');
afterAll(() => removeTemporaryBuilds());

const year = 365 * 24 * 60 * 60 * 1000;
const part1 = '/digitale-transformatie/de-impact-op-het-informatiebeleid/';

/** The fields of a security.txt, by name. */
const fieldsOf = (text: string) =>
  new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(/: (.*)/s, 2) as [string, string]),
  );

/** One answer of every kind `npm start` gives: a page, an asset, a feed, the 404 page, a refusal, the collector. */
async function answersOf(server: RunningServer): Promise<[string, Headers | Record<string, unknown>][]> {
  const get = async (path: string, init?: RequestInit) => (await fetch(`${server.url}${path}`, init)).headers;
  const page = await (await fetch(`${server.url}${part1}`)).text();
  const asset = /\/_astro\/[^"]+\.css/.exec(page)![0];
  const collector = await rawPost(`${server.url}/api/events/`, '{}', {
    headers: { 'Content-Type': 'application/json' },
  });
  return [
    ['a page', await get(part1)],
    ['an asset', await get(asset)],
    ['the feed', await get('/rss.xml')],
    ['security.txt', await get('/.well-known/security.txt')],
    ['an unknown address (404)', await get('/bestaat-niet/')],
    ['a refused method (405)', await get('/', { method: 'PUT' })],
    ['the report, off (404)', await get('/stats/')],
    ['the collector', collector.headers],
  ];
}

const hstsOf = (headers: Headers | Record<string, unknown>) =>
  headers instanceof Headers
    ? headers.get('strict-transport-security')
    : ((headers['strict-transport-security'] as string | undefined) ?? null);

describe('security.txt', () => {
  it('says where to report a vulnerability, in which languages, until when, and where the file lives', async () => {
    const server = await serve(tempDatabase());
    const response = await fetch(`${server.url}/.well-known/security.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const fields = fieldsOf(await response.text());
    expect([...fields.keys()]).toEqual(['Contact', 'Expires', 'Preferred-Languages', 'Canonical']);
    // Unset SECURITY_CONTACT: the site's contact address.
    expect(fields.get('Contact')).toBe('mailto:redactie@reeks.example.com');
    expect(fields.get('Preferred-Languages')).toBe('nl, en');
    expect(fields.get('Canonical')).toBe('https://reeks.example.com/.well-known/security.txt');
    // RFC 9116: an ISO moment, less than a year ahead; set by the build, which just ran.
    const expires = fields.get('Expires')!;
    expect(expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const ahead = new Date(expires).getTime() - Date.now();
    expect(ahead).toBeGreaterThan(year / 4);
    expect(ahead).toBeLessThan(year);
  });

  it('takes its Contact from SECURITY_CONTACT, and a wrong one stops the build with one line naming it', () => {
    const built = buildSite('content', undefined, 'pipe', {
      env: { SITE_URL: 'http://localhost:4321', SECURITY_CONTACT: 'https://gemeente.example.nl/melden' },
    });
    expect(built.status, built.output).toBe(0);
    const fields = fieldsOf(readFileSync(join(built.outDir, 'client/.well-known/security.txt'), 'utf8'));
    expect(fields.get('Contact')).toBe('https://gemeente.example.nl/melden');
    expect(fields.get('Canonical')).toBe('http://localhost:4321/.well-known/security.txt');
    // A site on plain http: no HSTS for a static host either.
    expect(readFileSync(join(built.outDir, 'client/_headers'), 'utf8')).not.toContain(
      'Strict-Transport-Security',
    );

    const wrong = buildSite('content', undefined, 'pipe', {
      env: { SECURITY_CONTACT: 'security@gemeente.nl' },
    });
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toContain(
      'SECURITY_CONTACT must be a mailto: address or an https: page, such as mailto:security@example.nl or https://example.nl/melden, not "security@gemeente.nl".',
    );
  }, 240_000);
});

describe('HSTS', () => {
  it('is on every answer of npm start when SITE_URL is https', async () => {
    const server = await serve(tempDatabase(), { SITE_URL: 'https://reeks.example.com' });
    for (const [what, headers] of await answersOf(server))
      expect(hstsOf(headers), what).toBe('max-age=31536000');
  });

  it('is on no answer when SITE_URL is http', async () => {
    const server = await serve(tempDatabase(), { SITE_URL: 'http://127.0.0.1' });
    for (const [what, headers] of await answersOf(server)) expect(hstsOf(headers), what).toBeNull();
  });

  it('is in _headers for every path of a static host, when the build is for an https address', () => {
    const headers = readFileSync(join(buildDir(), 'client/_headers'), 'utf8');
    const everyPath = headers.split('\n\n')[0]!;
    expect(everyPath.split('\n')[0]).toBe('/*');
    expect(everyPath.split('\n')).toContain('  Strict-Transport-Security: max-age=31536000');
  });
});

describe('the accessibility statement', () => {
  it('is served, and listed in the sitemap', async () => {
    const server = await serve(tempDatabase());
    const page = await fetch(`${server.url}/toegankelijkheid/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Status C: eerste maatregelen genomen.');
    expect(readFileSync(join(buildDir(), 'client/sitemap-0.xml'), 'utf8')).toContain(
      '<loc>https://reeks.example.com/toegankelijkheid/</loc>',
    );
  });
});
