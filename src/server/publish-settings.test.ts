import { describe, expect, it } from 'vitest';
import { readServerConfig } from './config.ts';
import { publishHookStatusLine } from './publish-settings.ts';

const secret = 'a3f1c9e2b7d4a6f8';

describe('the push hook settings', () => {
  it('are off without the secret, and the operator unset', () => {
    const config = readServerConfig({ REEKS_PUBLISH_HOOK_BRANCH: 'productie' });
    expect([config.publishHook, config.operatorEmail]).toEqual([undefined, undefined]);
  });

  it('take the secret, the branch (main by default) and the operator', () => {
    expect(readServerConfig({ REEKS_PUBLISH_HOOK_SECRET: ` ${secret} ` }).publishHook).toEqual({
      secret,
      branch: 'main',
    });
    const config = readServerConfig({
      REEKS_PUBLISH_HOOK_SECRET: secret,
      REEKS_PUBLISH_HOOK_BRANCH: 'release/site',
      REEKS_OPERATOR_EMAIL: 'beheer@gemeente.nl',
    });
    expect(config.publishHook).toEqual({ secret, branch: 'release/site' });
    expect(config.operatorEmail).toBe('beheer@gemeente.nl');
  });

  it.each([
    [{ REEKS_PUBLISH_HOOK_SECRET: 'kort' }, /^REEKS_PUBLISH_HOOK_SECRET must be at least 16 characters/],
    [
      { REEKS_PUBLISH_HOOK_BRANCH: '--upload-pack=x' },
      /^REEKS_PUBLISH_HOOK_BRANCH must be the name of a branch/,
    ],
    [{ REEKS_PUBLISH_HOOK_BRANCH: 'a..b' }, /^REEKS_PUBLISH_HOOK_BRANCH must be/],
    [{ REEKS_OPERATOR_EMAIL: 'beheer' }, /^REEKS_OPERATOR_EMAIL must be one e-mail address/],
    [{ REEKS_OPERATOR_EMAIL: 'a@b.nl, c@d.nl' }, /^REEKS_OPERATOR_EMAIL must be one e-mail address/],
  ])('stop on %o with one line naming the variable', (env, error) => {
    expect(() => readServerConfig(env)).toThrow(error);
    try {
      readServerConfig(env);
    } catch (thrown) {
      expect((thrown as Error).message).not.toContain('\n');
    }
  });

  it('give npm start one line, which says how to turn the hook on when it is off', () => {
    const off = publishHookStatusLine(undefined, { followsLink: true, root: '/srv/reeks' });
    expect(off).toMatch(/^Publish hook: off .*REEKS_PUBLISH_HOOK_SECRET/);
    const on = publishHookStatusLine({ secret, branch: 'main' }, { followsLink: true, root: '/srv/reeks' });
    expect(on).toMatch(/^Publish hook: on at \/api\/publish-hook\/ for pushes to main/);
    for (const line of [off, on]) expect(line).not.toContain('\n');
  });
});
