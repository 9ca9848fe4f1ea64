// The settings that put the browser editor (Keystatic, GitHub mode) on the live site. Read by the
// build (astro.config.mjs, through src/integrations/editor.ts) and by the server's configuration
// (src/server/config.ts).
// All five or none: without them the build has no editor at all.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../environment.ts';

export interface EditorSettings {
  /** The GitHub App's client id and secret, for the OAuth login. */
  clientId: string;
  clientSecret: string;
  /** Encrypts the refresh token Keystatic keeps in a cookie. */
  secret: string;
  /** The GitHub App's URL name (github.com/apps/<slug>), for the editor's "install the app" link. */
  appSlug: string;
  /** The repository the editor commits to. */
  repo: { owner: string; name: string };
}

export const editorVariables = [
  'KEYSTATIC_GITHUB_CLIENT_ID',
  'KEYSTATIC_GITHUB_CLIENT_SECRET',
  'KEYSTATIC_SECRET',
  'PUBLIC_KEYSTATIC_GITHUB_APP_SLUG',
  'KEYSTATIC_GITHUB_REPO',
] as const;

/** Keystatic encrypts with a key derived from the secret; short ones are guessable. */
const minimumSecretLength = 32;

const guide = 'See docs/editor-on-the-live-site.md.';

/**
 * The editor's settings from `env`, or null when none of them is set (no editor). Throws an
 * Error naming the variable and the fix when only some are set or one is malformed.
 */
export function editorSettings(env: Record<string, string | undefined>): EditorSettings | null {
  const value = (name: (typeof editorVariables)[number]) => env[name]?.trim() || undefined;
  const missing = editorVariables.filter((name) => !value(name));
  if (missing.length === editorVariables.length) return null;
  if (missing.length > 0) {
    throw new ConfigError(
      `The editor needs all five settings, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. Set ${missing.length === 1 ? 'it' : 'them'}, or unset the others to build without the editor. ${guide}`,
    );
  }
  const repo = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(value('KEYSTATIC_GITHUB_REPO')!);
  if (!repo) {
    throw new ConfigError(
      `KEYSTATIC_GITHUB_REPO is "${value('KEYSTATIC_GITHUB_REPO')}", but must be owner/name, such as gemeente/reeks (the repository's address on GitHub without https://github.com/). ${guide}`,
    );
  }
  const secret = value('KEYSTATIC_SECRET')!;
  if (secret.length < minimumSecretLength) {
    throw new ConfigError(
      `KEYSTATIC_SECRET is ${secret.length} characters long, but must be at least ${minimumSecretLength}. Make one with: openssl rand -hex 32. ${guide}`,
    );
  }
  const slug = value('PUBLIC_KEYSTATIC_GITHUB_APP_SLUG')!;
  if (!/^[a-z0-9-]+$/.test(slug)) {
    throw new ConfigError(
      `PUBLIC_KEYSTATIC_GITHUB_APP_SLUG is "${slug}", but must be the app's URL name: the last part of https://github.com/apps/<name>, such as reeks-editor. ${guide}`,
    );
  }
  return {
    clientId: value('KEYSTATIC_GITHUB_CLIENT_ID')!,
    clientSecret: value('KEYSTATIC_GITHUB_CLIENT_SECRET')!,
    secret,
    appSlug: slug,
    repo: { owner: repo[1]!, name: repo[2]! },
  };
}

/** What `npm start` says about the editor, in one line. */
export function editorStatusLine(settings: EditorSettings | null, builtWithEditor: boolean): string {
  if (settings && builtWithEditor)
    return `Editor: on at /admin, saving to github.com/${settings.repo.owner}/${settings.repo.name}.`;
  if (settings)
    return 'Editor: off: the settings are set, but this build was made without them. Build again with the same five settings set.';
  if (builtWithEditor)
    return 'Editor: off: this build has the editor, but the settings are not set. Start with the five KEYSTATIC settings the build had.';
  return `Editor: off. To edit on the live site, set ${editorVariables.join(', ')} for npm run build and npm start (docs/editor-on-the-live-site.md).`;
}

/** The file a build with the editor leaves in its server folder (src/integrations/editor.ts). */
export const editorMarker = 'reeks-editor.json';

/** Whether the build in `buildDir` has the editor. */
export function builtWithEditor(buildDir: string): boolean {
  return existsSync(join(buildDir, 'server', editorMarker));
}
