import { describe, expect, it } from 'vitest';
import { hookSignature, publishHookAnswer } from './publish-hook.ts';

const hook = { secret: 'een-geheim-van-de-webhook', branch: 'main' };
const push = (ref: string, extra: object = {}) => JSON.stringify({ ref, after: 'abc', ...extra });

function hookRequest(
  body: string,
  {
    event = 'push',
    signature = hookSignature(hook.secret, body),
    type = 'application/json',
  }: { event?: string; signature?: string | null; type?: string } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': type, 'X-GitHub-Event': event };
  if (signature !== null) headers['X-Hub-Signature-256'] = signature;
  return new Request('http://localhost/api/publish-hook/', { method: 'POST', headers, body });
}

const answerTo = (request: Request) => publishHookAnswer(request, hook, { bodyTimeoutMs: 2_000 });

describe('the publish hook', () => {
  it('queues a publish for a signed push to the branch', async () => {
    const result = await answerTo(hookRequest(push('refs/heads/main')));
    expect(result).toMatchObject({ status: 202, publish: true });
  });

  it('refuses an unsigned or wrongly signed payload with 401, and publishes nothing', async () => {
    const body = push('refs/heads/main');
    for (const signature of [
      null,
      '',
      'sha1=0123',
      hookSignature('een ander geheim', body),
      hookSignature(hook.secret, `${body} `),
      `sha256=${'0'.repeat(64)}`,
    ]) {
      const result = await answerTo(hookRequest(body, { signature }));
      expect(result, String(signature)).toMatchObject({ status: 401, publish: false });
    }
  });

  it('answers a ping with 200, and ignores another branch, a deleted branch and other events', async () => {
    expect(await answerTo(hookRequest('{"zen":"Keep it simple."}', { event: 'ping' }))).toMatchObject({
      status: 200,
      publish: false,
    });
    const other = await answerTo(hookRequest(push('refs/heads/concept')));
    expect(other).toMatchObject({ status: 202, publish: false });
    expect(other.text).toMatch(/^Ignored/);
    expect(await answerTo(hookRequest(push('refs/heads/main', { deleted: true })))).toMatchObject({
      status: 202,
      publish: false,
    });
    expect(await answerTo(hookRequest(push('refs/tags/main')))).toMatchObject({
      status: 202,
      publish: false,
    });
    expect(await answerTo(hookRequest('{}', { event: 'issues' }))).toMatchObject({
      status: 202,
      publish: false,
    });
  });

  it('answers malformed payloads with 4xx', async () => {
    const cases: [Request, number][] = [
      [hookRequest('payload=%7B%7D', { type: 'application/x-www-form-urlencoded' }), 415],
      [hookRequest('not json'), 400],
      [hookRequest('[1,2]'), 400],
      [hookRequest('null'), 400],
      [hookRequest('{"ref":42}'), 400],
      [hookRequest(push('refs/heads/main'), { event: '' }), 400],
      [hookRequest('x'.repeat(3 * 1024 * 1024)), 413],
    ];
    for (const [request, status] of cases) {
      const result = await answerTo(request);
      expect(result).toMatchObject({ status, publish: false });
    }
  });
});
