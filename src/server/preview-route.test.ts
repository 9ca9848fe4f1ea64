import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewKey, type PreviewIndex } from '../lib/previews.ts';
import { previewPath, previewToken } from './preview-links.ts';
import { answerPreview, loadPreviews } from './preview-route.ts';
import { deriveKeys } from './secrets.ts';

const keys = deriveKeys('een geheim van tweeëndertig tekens of meer');
const draftId = 'testreeks/derde-deel';
const goneId = 'testreeks/verwijderd';
const now = new Date('2026-12-07T10:00:00Z');
const tomorrow = new Date('2026-12-08T10:00:00Z');
let buildDir: string;
let server: Server;
let base: string;

const link = (id: string, expiresAt = tomorrow) => previewPath(previewToken(keys, id, expiresAt));
const get = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { redirect: 'manual', ...init });

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'reeks-previews-'));
  const folder = join(buildDir, 'server', 'previews');
  mkdirSync(folder, { recursive: true });
  const entry = (id: string) => ({
    id,
    key: previewKey(id),
    title: id,
    url: `/${id}/`,
    date: '2026-12-01',
    draft: true,
  });
  const index: PreviewIndex = {
    // The second one's file is missing: a release that lost it.
    previews: [entry(draftId), entry(goneId)],
    published: { 'testreeks/eerste-deel': '/testreeks/eerste-deel/' },
    policies: { [previewKey(draftId)]: "default-src 'self'; script-src 'self' 'sha256-abc'" },
  };
  writeFileSync(join(folder, 'index.json'), JSON.stringify(index));
  writeFileSync(join(folder, `${previewKey(draftId)}.html`), '<!doctype html><p>Het concept</p>');
  const route = {
    previews: loadPreviews(buildDir),
    keys,
    notFoundPage: Buffer.from('<h1>Niet gevonden</h1>'),
    now: () => now,
  };
  server = createServer((request, response) =>
    answerPreview(request, response, request.url!.split('?')[0]!, route),
  ).listen(0, '127.0.0.1');
  await new Promise((listening) => server.once('listening', listening));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => {
  server.close();
  rmSync(buildDir, { recursive: true, force: true });
});

describe('a preview link', () => {
  it('shows the preview with its policy, never cached, indexed or referred', async () => {
    const response = await get(link(draftId));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Het concept');
    expect(response.headers.get('content-security-policy')).toContain('sha256-abc');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const head = await get(link(draftId), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers the 404 page when expired, altered, unknown or its file is gone', async () => {
    const token = link(draftId).split('/')[2]!;
    for (const path of [
      link(draftId, new Date(now.getTime() - 1)),
      `/voorbeeld/${token.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'))}/`,
      link('bestaat-niet'),
      link(goneId),
      '/voorbeeld/',
      '/voorbeeld/a/b/',
      '/voorbeeld/%ZZ/',
      `/voorbeeld/${'a'.repeat(5000)}/`,
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain('Niet gevonden');
      expect(response.headers.get('x-robots-tag'), path).toContain('noindex');
    }
  });

  it('goes to the live page of a post published since, adds its slash, and takes only GET and HEAD', async () => {
    const published = await get(link('testreeks/eerste-deel'));
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe('/testreeks/eerste-deel/');
    const withoutSlash = link(draftId).replace(/\/$/, '');
    const slash = await get(withoutSlash);
    expect(slash.status).toBe(308);
    expect(slash.headers.get('location')).toBe(`${withoutSlash}/`);
    const post = await get(link(draftId), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('has no previews in a build made before there were any', () => {
    expect(loadPreviews(join(buildDir, 'elders')).list).toEqual([]);
  });
});
