import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { formTokenPlaceholder } from '../lib/message-form.ts';
import { checkFormToken, issueFormToken, stampFormTokens } from './form-token.ts';

const secret = 'test-secret';
const served = Date.parse('2024-05-10T10:00:00Z');
const limits = { minAgeMs: 3000, maxAgeMs: 24 * 3600_000 };
const check = (token: string | null, now: number) => checkFormToken(token, secret, { now, ...limits });

describe('form tokens', () => {
  it('are as long as the placeholder prerendered pages carry', () => {
    expect(issueFormToken(secret, served)).toHaveLength(formTokenPlaceholder.length);
    expect(issueFormToken(secret, 0)).toHaveLength(formTokenPlaceholder.length);
  });

  it('are fresh from the minimum fill-in time up to the maximum age', () => {
    const token = issueFormToken(secret, served);
    expect(check(token, served)).toBe('too-fast');
    expect(check(token, served + 2999)).toBe('too-fast');
    expect(check(token, served + 3000)).toBe('fresh');
    expect(check(token, served + limits.maxAgeMs)).toBe('fresh');
    expect(check(token, served + limits.maxAgeMs + 1)).toBe('expired');
  });

  it('cannot be made up, moved in time or signed with another secret', () => {
    const token = issueFormToken(secret, served);
    const older = String(served - 60_000).padStart(13, '0');
    expect(check(`${older}${token.slice(13)}`, served)).toBe('invalid');
    expect(check(issueFormToken('another secret', served - 60_000), served)).toBe('invalid');
    for (const bad of [null, '', formTokenPlaceholder, 'abc', `${token}x`, token.toUpperCase()]) {
      expect(check(bad, served + 60_000), String(bad)).toBe('invalid');
    }
  });
});

/** Serves `respond` on a free port with stamping on, and returns the one response it gets. */
async function serve(respond: (response: ServerResponse) => void) {
  let issued = 0;
  const server = createServer((_, response) => {
    stampFormTokens(response, () => issueFormToken(secret, served + issued++));
    respond(response);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return { status: response.status, headers: response.headers, body: await response.text(), issued };
  } finally {
    server.close();
  }
}

describe('stampFormTokens', () => {
  const page = `<!doctype html><form><input type="hidden" name="token" value="${formTokenPlaceholder}"></form>`;

  it('puts a fresh token in a prerendered page, also when the placeholder arrives in two pieces', async () => {
    const split = page.indexOf(formTokenPlaceholder) + 10;
    const { body, headers } = await serve((response) => {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.setHeader('Content-Length', Buffer.byteLength(page));
      response.setHeader('ETag', 'W/"abc"');
      response.setHeader('Last-Modified', 'Fri, 10 May 2024 10:00:00 GMT');
      response.write(page.slice(0, split));
      response.end(Buffer.from(page.slice(split)));
    });
    const token = /name="token" value="([^"]+)"/.exec(body)![1]!;
    expect(token).not.toBe(formTokenPlaceholder);
    expect(check(token, served + 5000)).toBe('fresh');
    expect(body).toBe(page.replace(formTokenPlaceholder, token));
    expect(headers.get('etag')).toBeNull();
    expect(headers.get('last-modified')).toBeNull();
    expect(headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves pages without a form, other content and other statuses alone', async () => {
    const plain = await serve((response) => {
      response.setHeader('Content-Type', 'text/html');
      response.setHeader('ETag', 'W/"abc"');
      response.end('<p>geen formulier</p>');
    });
    expect(plain).toMatchObject({ body: '<p>geen formulier</p>', issued: 0 });
    expect(plain.headers.get('etag')).toBe('W/"abc"');

    const script = await serve((response) => {
      response.setHeader('Content-Type', 'text/javascript');
      response.end(`const a = "${formTokenPlaceholder}";`);
    });
    expect(script.body).toContain(formTokenPlaceholder);

    const partial = await serve((response) => {
      response.statusCode = 206;
      response.setHeader('Content-Type', 'text/html');
      response.end(page);
    });
    expect(partial.body).toBe(page);
    expect(partial.issued).toBe(0);
  });
});
