import { describe, expect, it } from 'vitest';
import { editorSettings, editorStatusLine } from './editor-settings.ts';

const complete = {
  KEYSTATIC_GITHUB_CLIENT_ID: 'Iv1.0123456789abcdef',
  KEYSTATIC_GITHUB_CLIENT_SECRET: 'client-secret',
  KEYSTATIC_SECRET: 'x'.repeat(64),
  PUBLIC_KEYSTATIC_GITHUB_APP_SLUG: 'reeks-editor',
  KEYSTATIC_GITHUB_REPO: 'gemeente/reeks',
};

describe('editorSettings', () => {
  it('is null without any of the settings: no editor', () => {
    expect(editorSettings({})).toBeNull();
    expect(editorSettings({ KEYSTATIC_SECRET: ' ' })).toBeNull();
  });

  it('reads all five', () => {
    expect(editorSettings(complete)).toEqual({
      clientId: 'Iv1.0123456789abcdef',
      clientSecret: 'client-secret',
      secret: 'x'.repeat(64),
      appSlug: 'reeks-editor',
      repo: { owner: 'gemeente', name: 'reeks' },
    });
  });

  it('names the settings that are missing when only some are set', () => {
    expect(() => editorSettings({ ...complete, KEYSTATIC_SECRET: undefined })).toThrow(
      'KEYSTATIC_SECRET is not set',
    );
    expect(() => editorSettings({ KEYSTATIC_GITHUB_REPO: 'gemeente/reeks' })).toThrow(
      'KEYSTATIC_GITHUB_CLIENT_ID, KEYSTATIC_GITHUB_CLIENT_SECRET, KEYSTATIC_SECRET, PUBLIC_KEYSTATIC_GITHUB_APP_SLUG are not set',
    );
  });

  it('refuses a repository that is not owner/name, a short secret and a slug that is not one', () => {
    expect(() =>
      editorSettings({ ...complete, KEYSTATIC_GITHUB_REPO: 'https://github.com/gemeente/reeks' }),
    ).toThrow(/KEYSTATIC_GITHUB_REPO .* must be owner\/name/);
    expect(() => editorSettings({ ...complete, KEYSTATIC_SECRET: 'kort' })).toThrow(
      /KEYSTATIC_SECRET is 4 characters long.*openssl rand -hex 32/,
    );
    expect(() => editorSettings({ ...complete, PUBLIC_KEYSTATIC_GITHUB_APP_SLUG: 'Reeks Editor' })).toThrow(
      /PUBLIC_KEYSTATIC_GITHUB_APP_SLUG .*github.com\/apps/,
    );
  });
});

describe('editorStatusLine', () => {
  it('says in one line whether the editor is on, and how to turn it on', () => {
    const settings = editorSettings(complete);
    expect(editorStatusLine(settings, true)).toBe(
      'Editor: on at /admin, saving to github.com/gemeente/reeks.',
    );
    for (const line of [
      editorStatusLine(null, false),
      editorStatusLine(settings, false),
      editorStatusLine(null, true),
    ]) {
      expect(line).toMatch(/^Editor: off/);
      expect(line).not.toContain('\n');
    }
    expect(editorStatusLine(null, false)).toContain('KEYSTATIC_GITHUB_CLIENT_ID');
  });
});
