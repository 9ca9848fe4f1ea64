import { describe, expect, it } from 'vitest';
import { mediaTypeOf, optsOut, readBody, siteHosts } from './http.ts';

const limits = { mediaTypes: ['application/json', 'text/plain'], maxBytes: 16, timeoutMs: 200 };

function post(body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'text/plain' }) {
  return new Request('http://localhost/api/events/', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit);
}

/** A body that sends `first` and then nothing more, as a stalled client does. */
function stalled(first: string) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
    },
  });
}

/** A body in pieces of `size` bytes, without Content-Length. */
function streamed(size: number, piece = 4) {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      controller.enqueue(new Uint8Array(piece).fill(97));
      sent += piece;
    },
  });
}

describe('readBody', () => {
  it('reads a body of an accepted media type as text', async () => {
    expect(
      await readBody(post('{"a":"é"}', { 'content-type': 'Application/JSON; charset=utf-8' }), limits),
    ).toEqual({
      ok: true,
      mediaType: 'application/json',
      text: '{"a":"é"}',
    });
    expect(await readBody(post(streamed(16)), limits)).toMatchObject({ ok: true, text: 'a'.repeat(16) });
    expect(await readBody(post(null), limits)).toEqual({ ok: true, mediaType: 'text/plain', text: '' });
  });

  it('refuses another media type, or none, with 415 before reading', async () => {
    const multipart = post('x', { 'content-type': 'multipart/form-data; boundary=x' });
    // Bytes without a Content-Type (a string body would be given text/plain).
    const untyped = post(new Uint8Array([120]), {});
    for (const request of [multipart, untyped])
      expect(await readBody(request, limits)).toEqual({ ok: false, status: 415, reason: 'media-type' });
  });

  it('refuses a body over the limit with 413, by Content-Length or as it arrives', async () => {
    const declared = post('x', { 'content-type': 'text/plain', 'content-length': '17' });
    expect(await readBody(declared, limits)).toMatchObject({ status: 413, reason: 'too-large' });
    const odd = post('x', { 'content-type': 'text/plain', 'content-length': 'abc' });
    expect(await readBody(odd, limits)).toMatchObject({ status: 413 });
    expect(await readBody(post(streamed(20)), limits)).toMatchObject({ status: 413, reason: 'too-large' });
  });

  it('answers 408 when the body has not all arrived in time', async () => {
    const started = performance.now();
    expect(await readBody(post(stalled('{"type":')), limits)).toEqual({
      ok: false,
      status: 408,
      reason: 'timeout',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses a body that is not UTF-8, or breaks off, with 400', async () => {
    expect(await readBody(post(new Uint8Array([0xff, 0xfe])), limits)).toEqual({
      ok: false,
      status: 400,
      reason: 'unreadable',
    });
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    expect(await readBody(post(broken), limits)).toMatchObject({ status: 400 });
  });
});

describe('the small helpers', () => {
  it('reads the media type without parameters', () => {
    expect(mediaTypeOf(new Headers({ 'content-type': ' Text/Plain ;charset=UTF-8' }))).toBe('text/plain');
    expect(mediaTypeOf(new Headers({ 'content-type': ';' }))).toBeUndefined();
    expect(mediaTypeOf(new Headers())).toBeUndefined();
  });

  it('lists the hosts that are this site', () => {
    expect(siteHosts(new Headers({ host: 'localhost:4321' }), 'reeks.example.com')).toEqual([
      'localhost:4321',
      'reeks.example.com',
    ]);
    expect(siteHosts(new Headers(), undefined)).toEqual(['']);
  });

  it('hears Global Privacy Control and Do Not Track', () => {
    expect(optsOut(new Headers({ 'sec-gpc': '1' }))).toBe(true);
    expect(optsOut(new Headers({ dnt: '1' }))).toBe(true);
    expect(optsOut(new Headers({ dnt: '0' }))).toBe(false);
  });
});
