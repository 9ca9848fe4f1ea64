// The production server's limits against a crowd and a slow client: a crowd of addresses never
// locks a new reader out, one IPv6 network is one client, only our own proxies are believed, and
// a body that stalls or is refused lets its connection go. Started as `npm start` starts it, on
// the built site and a real SQLite file.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { productionServers, type RunningServer } from '../../e2e/fixtures/server.ts';
import { pageView, partPaths, sendEvent } from '../../e2e/fixtures/events.ts';
import { formTokenPlaceholder } from '../lib/message-form.ts';
import { messageForm } from '../site.config.ts';

const part2 = partPaths[1];
const reportLogin = { STATS_USER: 'marketing', STATS_PASSWORD: 'een lang geheim' };
const basic = (password: string) => `Basic ${Buffer.from(`marketing:${password}`).toString('base64')}`;

const { tempDatabase, serve } = productionServers('limits');

/** What nginx on this machine sends: the client it saw, appended to what the client wrote. */
const from = (client: string) => ({ 'X-Forwarded-For': client });

/**
 * `count` requests, each from its own address: an empty POST of a media type the route refuses,
 * so each costs the server only its rate limit and a 415 in JSON. Pipelined, 500 requests a write on 16
 * connections, so that the crowd takes seconds; the statuses counted from the answers.
 */
async function crowd(server: RunningServer, path: string, count: number, address: (i: number) => string) {
  const { hostname, port } = new URL(server.url);
  const statuses: Record<number, number> = {};
  const perSocket = Math.ceil(count / 16);
  const one = (first: number, last: number) =>
    new Promise<void>((resolve, reject) => {
      let sent = first;
      let answered = first;
      // The end of the last chunk: a status line may be cut in two.
      let carry = '';
      const writeBatch = () => {
        let batch = '';
        for (const end = Math.min(last, sent + 500); sent < end; sent++)
          batch += `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: application/json\r\nContent-Type: application/xml\r\nContent-Length: 0\r\nX-Forwarded-For: ${address(sent)}\r\n\r\n`;
        socket.write(batch);
      };
      const socket = connect(Number(port), hostname, writeBatch);
      socket.on('data', (chunk) => {
        const text = carry + chunk.toString('latin1');
        for (const [, status] of text.matchAll(/HTTP\/1\.1 (\d{3})/g)) {
          statuses[Number(status)] = (statuses[Number(status)] ?? 0) + 1;
          answered++;
        }
        carry = text.slice(-11);
        if (answered === last) {
          socket.destroy();
          resolve();
        } else if (answered === sent) writeBatch();
      });
      socket.on('error', reject);
      socket.on('close', () =>
        reject(new Error(`closed after ${answered - first} of ${last - first} answers`)),
      );
    });
  await Promise.all(
    Array.from({ length: 16 }, (_, i) => one(i * perSocket, Math.min(count, (i + 1) * perSocket))),
  );
  return statuses;
}

/** An address of its own for each number: 10.x.y.z, never 127.0.0.1 (the trusted proxy). */
const ipv4 = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('a crowd of addresses', () => {
  it('never locks a new reader out of the collector, the message form or the report’s login', async () => {
    const server = await serve(tempDatabase(), { ...reportLogin, REEKS_TRUSTED_PROXIES: '127.0.0.1' });
    // The reader opened the part before the crowd came, as a person reads before writing.
    const html = await (await fetch(`${server.url}${part2}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;

    expect(await crowd(server, '/api/events/', 50_500, ipv4)).toEqual({ 415: 50_500 });
    expect(await crowd(server, '/berichten/', 50_500, ipv4)).toEqual({ 415: 50_500 });
    // Wrong logins from a crowd: some are answered, then every login waits its turn.
    const logins = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${server.url}/stats/`, { headers: { Authorization: basic(`gok-${i}`), ...from(ipv4(i)) } }),
      ),
    );
    const loginStatuses = new Set(logins.map((response) => response.status));
    expect([...loginStatuses].sort()).toEqual([401, 429]);

    const reader = from('198.51.100.23');
    expect((await sendEvent(server, pageView(2), reader)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, messageForm.minFillSeconds * 1000));
    const message = await fetch(`${server.url}/berichten/`, {
      method: 'POST',
      headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded', ...reader },
      body: new URLSearchParams({
        page: part2,
        token,
        name: 'Anna de Vries',
        email: 'anna@gemeente.example.nl',
        question: 'Hoe begin ik?',
        consent: 'ja',
        website: '',
      }),
      redirect: 'manual',
    });
    expect(message.status).toBe(303);
    // Marketing's right password waits its turn behind the crowd's guesses, then gets in.
    let report: Response;
    do {
      report = await fetch(`${server.url}/stats/`, {
        headers: { Authorization: basic(reportLogin.STATS_PASSWORD), ...from('203.0.113.9') },
      });
      if (report.status === 429) await new Promise((resolve) => setTimeout(resolve, 1000));
    } while (report.status === 429);
    expect(report.status).toBe(200);
    expect(server.output().match(/every login now waits its turn/g)).toHaveLength(1);
    expect(server.output()).not.toMatch(/gok-|10\.0\.0\.|198\.51\.100\.23/);
  }, 120_000);

  it('counts 80 addresses of one IPv6 /64 as one client, and another /64 as another', async () => {
    const server = await serve(tempDatabase(), { REEKS_TRUSTED_PROXIES: '127.0.0.1,::1' });
    const statuses = [];
    for (let i = 0; i < 80; i++)
      statuses.push(
        (await sendEvent(server, pageView(2), from(`2001:db8:1:2:${i.toString(16)}::${i + 1}`))).status,
      );
    expect(statuses.filter((status) => status === 201)).toHaveLength(60);
    expect(statuses.slice(60)).toEqual(Array(20).fill(429));
    expect((await sendEvent(server, pageView(2), from('2001:db8:1:3::1'))).status).toBe(201);
    // An IPv4 address written as IPv6 is that address.
    for (let i = 0; i < 60; i++) await sendEvent(server, pageView(2), from('203.0.113.5'));
    expect((await sendEvent(server, pageView(2), from('::ffff:203.0.113.5'))).status).toBe(429);
  }, 60_000);
});

describe('X-Forwarded-For from a peer that is no proxy of ours', () => {
  it('is ignored: rotating it escapes no limit, neither the collector’s nor the report login’s', async () => {
    // The proxy is elsewhere; the test connects from 127.0.0.1, around it.
    const server = await serve(tempDatabase(), {
      ...reportLogin,
      REEKS_TRUSTED_PROXIES: '10.0.0.0/8',
      REEKS_EVENTS_PER_MINUTE: '2',
    });
    const views = [];
    for (let i = 0; i < 3; i++)
      views.push((await sendEvent(server, pageView(2), from(`198.51.100.${i}`))).status);
    expect(views).toEqual([201, 201, 429]);
    const logins = [];
    for (let i = 0; i < 7; i++) {
      const response = await fetch(`${server.url}/stats/`, {
        headers: { Authorization: basic(`gok-${i}`), ...from(`203.0.113.${i}`) },
      });
      logins.push(response.status);
    }
    expect(logins).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(server.output()).toMatch(/too many wrong logins from 127\.0\.0\.1;/);
  }, 60_000);
});

/** A socket that sent a request's head and part of its body, and what came back on it. */
interface Stalled {
  socket: Socket;
  answer: () => string;
  closed: Promise<number>;
}

function stall(server: RunningServer, path: string, headers: string): Promise<Stalled> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n${headers}Content-Length: 1000\r\n\r\n{"type":`,
      );
      resolve({ socket, answer: () => answer, closed });
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now() - started)));
    socket.on('error', reject);
  });
}

describe('slow and refused bodies', () => {
  it('answers 1,000 bodies that stall with 408 and closes their sockets; GET / answers meanwhile', async () => {
    const server = await serve(tempDatabase(), {
      REEKS_BODY_TIMEOUT_SECONDS: '1',
      REEKS_EVENTS_PER_MINUTE: '1000',
      REEKS_MESSAGES_PER_HOUR: '1000',
    });
    const json = 'Content-Type: application/json\r\n';
    const form = `Origin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\n`;
    // 1,000 bodies that stall, and a POST to a page, which no route reads.
    const stalled = await Promise.all([
      ...Array.from({ length: 980 }, () => stall(server, '/api/events/', json)),
      ...Array.from({ length: 20 }, () => stall(server, '/berichten/', form)),
    ]);
    const toPage = await stall(server, '/', json);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    const closedAfter = await Promise.all([...stalled, toPage].map((socket) => socket.closed));
    expect(Math.max(...closedAfter)).toBeLessThan(10_000);
    for (const socket of stalled) expect(socket.answer()).toMatch(/^HTTP\/1\.1 408 /);
    expect(stalled[0]!.answer()).toMatch(/connection: close/i);
    expect(stalled[0]!.answer()).toContain('"error":"the body did not arrive in time"');
    expect(stalled[980]!.answer()).toContain('niet op tijd binnen');
    // The page is answered without its body, and the connection closed.
    expect(toPage.answer()).toMatch(/^HTTP\/1\.1 200 [^]*connection: close/i);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  }, 60_000);

  it('closes the connection of a refusal (429, 415, 403) whose body it did not read', async () => {
    const server = await serve(tempDatabase(), { REEKS_EVENTS_PER_MINUTE: '1' });
    expect((await sendEvent(server, pageView(2))).status).toBe(201);
    const refused = await Promise.all([
      stall(server, '/api/events/', 'Content-Type: application/json\r\n'),
      stall(server, '/api/events/', 'Content-Type: application/xml\r\n'),
      stall(
        server,
        '/berichten/',
        'Origin: https://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n',
      ),
    ]);
    const closedAfter = await Promise.all(refused.map((socket) => socket.closed));
    expect(refused.map((socket) => socket.answer().split('\r\n')[0])).toEqual([
      'HTTP/1.1 429 Too Many Requests',
      'HTTP/1.1 429 Too Many Requests',
      'HTTP/1.1 403 Forbidden',
    ]);
    // Let go at once, not when the body's time limit ends.
    expect(Math.max(...closedAfter)).toBeLessThan(2_000);
  }, 60_000);
});

describe('what is not served as it is asked', () => {
  it('answers /_headers with 404', async () => {
    const server = await serve(tempDatabase());
    const response = await fetch(`${server.url}/_headers`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('Content-Security-Policy');
  }, 60_000);

  it('sends a page with a form whole, with a token, whatever Range asks', async () => {
    const server = await serve(tempDatabase());
    const whole = await fetch(`${server.url}${part2}`, { headers: { Range: 'bytes=0-99999' } });
    expect(whole.status).toBe(200);
    const html = await whole.text();
    expect(html).toMatch(/<\/html>\s*$/);
    expect(html).not.toContain(formTokenPlaceholder);
    expect(html).toMatch(/name="token" value="\d{13}\.[\w-]{43}"/);
    const part = await fetch(`${server.url}${part2}`, { headers: { Range: 'bytes=100-200' } });
    expect(part.status).toBe(200);
    expect(await part.text()).toMatch(/^<!DOCTYPE html>/i);
  }, 60_000);
});
