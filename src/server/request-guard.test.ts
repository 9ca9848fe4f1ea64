import { describe, expect, it } from 'vitest';
import { hostHeaders, refuseRequest } from './request-guard.ts';

describe('refuseRequest', () => {
  it('lets the requests of the site through', () => {
    expect(refuseRequest('GET', '/', ['localhost:4321'])).toBeUndefined();
    expect(refuseRequest('HEAD', '/digitale-transformatie/?q=a%20b', ['reeks.example.com'])).toBeUndefined();
    expect(refuseRequest('POST', '/api/events/', ['127.0.0.1:4321'])).toBeUndefined();
    expect(refuseRequest('GET', '/', ['[::1]:4321'])).toBeUndefined();
    expect(refuseRequest('GET', '/', [])).toBeUndefined();
  });

  it('answers a method no route takes with 405 and Allow, and an unknown one with 501', () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'CONNECT']) {
      expect(refuseRequest(method, '/', ['localhost'])).toEqual({
        status: 405,
        headers: { Allow: 'GET, HEAD, POST' },
      });
    }
    expect(refuseRequest('PROPFIND', '/', ['localhost'])).toEqual({ status: 501 });
    expect(refuseRequest(undefined, '/', ['localhost'])).toEqual({ status: 501 });
    expect(refuseRequest('OPTIONS', '*', ['localhost'])).toEqual({
      status: 204,
      headers: { Allow: 'GET, HEAD, POST' },
    });
  });

  it('refuses two Host headers, and reads them from the raw headers', () => {
    const raw = ['Host', 'localhost', 'Accept', '*/*', 'host', 'evil.example'];
    expect(hostHeaders(raw)).toEqual(['localhost', 'evil.example']);
    expect(refuseRequest('GET', '/', hostHeaders(raw))).toEqual({ status: 400 });
  });

  it.each([
    'user:pw@evil.example',
    'evil.example/pad',
    'a b',
    'localhost:99999999',
    '',
    'exa_mple.com',
    '[::1',
  ])('refuses the Host header %j with 400', (host) => {
    expect(refuseRequest('GET', '/', [host])).toEqual({ status: 400 });
  });

  it.each(['*', 'http://evil.example/', 'pad', '/%E0%A4%A', '/a\u0001b', ''])(
    'refuses the request target %j with 400',
    (target) => {
      expect(refuseRequest('GET', target, ['localhost'])).toEqual({ status: 400 });
    },
  );
});
