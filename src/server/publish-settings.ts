// The settings of the push hook (POST /api/publish-hook/, src/server/publish-hook.ts) and of the
// operator's mail about a failed publish. Read by the server's configuration (src/server/config.ts)
// from the environment it is given; nothing here reads process.env.
import { ConfigError, setValue as set, type Environment } from '../environment.ts';

export interface PublishHookSettings {
  /** The webhook's secret on GitHub: X-Hub-Signature-256 is its HMAC-SHA256 of the body. */
  secret: string;
  /** The branch whose pushes are published (the payload's ref is refs/heads/<branch>). */
  branch: string;
}

/** A GitHub webhook secret as long as this is out of reach of guessing. */
export const minHookSecretLength = 16;

const guide = 'See docs/editor-on-the-live-site.md#publishing-on-every-push.';

/** REEKS_PUBLISH_HOOK_SECRET and REEKS_PUBLISH_HOOK_BRANCH; undefined without the secret (no hook). */
export function publishHookSettings(env: Environment): PublishHookSettings | undefined {
  const branch = set(env.REEKS_PUBLISH_HOOK_BRANCH) ?? 'main';
  // A name git takes for a branch, and one that cannot pass as an option to git.
  if (!/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(branch) || branch.includes('..') || branch.endsWith('.lock'))
    throw new ConfigError(
      `REEKS_PUBLISH_HOOK_BRANCH must be the name of a branch, such as main, not "${env.REEKS_PUBLISH_HOOK_BRANCH}". ${guide}`,
    );
  const secret = set(env.REEKS_PUBLISH_HOOK_SECRET);
  if (secret === undefined) return undefined;
  if (secret.length < minHookSecretLength)
    throw new ConfigError(
      `REEKS_PUBLISH_HOOK_SECRET must be at least ${minHookSecretLength} characters long: make one with "openssl rand -hex 32", and give GitHub's webhook the same. ${guide}`,
    );
  return { secret, branch };
}

/** REEKS_OPERATOR_EMAIL: who is mailed a failed publish's lines (when SMTP is set too). */
export function operatorEmail(env: Environment): string | undefined {
  const address = set(env.REEKS_OPERATOR_EMAIL);
  if (address === undefined) return undefined;
  if (!/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(address))
    throw new ConfigError(
      `REEKS_OPERATOR_EMAIL must be one e-mail address, such as beheer@example.nl, not "${env.REEKS_OPERATOR_EMAIL}".`,
    );
  return address;
}

/** `npm start`'s line about the hook: on, and what it publishes; or off, and how to turn it on. */
export function publishHookStatusLine(
  hook: PublishHookSettings | undefined,
  { followsLink, root }: { followsLink: boolean; root: string },
): string {
  if (!hook)
    return 'Publish hook: off (/api/publish-hook/ answers 404). To publish on every push, set REEKS_PUBLISH_HOOK_SECRET and add the webhook on GitHub (docs/editor-on-the-live-site.md#publishing-on-every-push).';
  if (!followsLink)
    return `Publish hook: on at /api/publish-hook/ for pushes to ${hook.branch}, but this server serves a folder, not the link current: a publish switches ${root}/current, so start with \`npm start -- current\` to serve what it publishes.`;
  return `Publish hook: on at /api/publish-hook/ for pushes to ${hook.branch}: each fetches and fast-forwards the content's checkout, builds and switches ${root}/current.`;
}
