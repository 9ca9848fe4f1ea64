// Reading the environment strictly: a value that is set but wrong is an operator's mistake to
// report, never a reason to fall back to the default silently (a negative retention must not
// quietly become a year). The bottom layer: it imports nothing of the site, and both the build
// (src/site.config.ts) and the server (src/server/config.ts) read every variable through it.

/** A mistake in the environment: its message is one line naming the variable and the fix. */
export class ConfigError extends Error {}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The trimmed value of a variable, or undefined when it is unset or empty. */
export const setValue = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** A whole number from `env[name]`, at least `min` (and at most `max`); `fallback` when unset. */
export function wholeNumber(
  env: Environment,
  name: string,
  {
    fallback,
    min,
    max = Number.MAX_SAFE_INTEGER,
    what,
  }: { fallback: number; min: number; max?: number; what: string },
): number {
  const value = setValue(env[name]);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(
      `${name} must be ${what}, a whole number ${range}, not "${env[name]}". Unset it for the default, ${fallback}.`,
    );
  }
  return number;
}

/** The days a reader's message is kept: stated on the privacy page at build time, applied by the server. */
export const messageRetentionDays = (env: Environment, fallback: number) =>
  wholeNumber(env, 'REEKS_MESSAGE_RETENTION_DAYS', { fallback, min: 1, what: 'the days a message is kept' });

/**
 * The site's public address (`SITE_URL`): an http or https origin, without a path. The build
 * writes it into canonical URLs, feeds and security.txt; the server needs it for HSTS and for
 * telling the site's own pages from other referrers.
 */
export function siteUrl(env: Environment, fallback: string): string {
  const value = setValue(env.SITE_URL);
  if (value === undefined) return fallback;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    url.username ||
    url.password ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw new ConfigError(
      `SITE_URL must be the site's public address, such as https://reeks.example.com (http or https, no path), not "${env.SITE_URL}".`,
    );
  }
  return url.origin;
}

/** The schemes security.txt allows for a contact that a reader outside the organisation can use. */
export const securityContactSchemes = ['mailto:', 'https:'] as const;

/**
 * Where to report a vulnerability (`SECURITY_CONTACT`, the Contact of security.txt, RFC 9116): a
 * mailto: address or an https: page; `fallback` when unset.
 */
export function securityContact(env: Environment, fallback: string): string {
  const value = setValue(env.SECURITY_CONTACT);
  if (value === undefined) return fallback;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const valid =
    url?.protocol === 'mailto:'
      ? /^[^@\s,?]+@[^@\s,?]+\.[^@\s,?]+$/.test(url.pathname)
      : url?.protocol === 'https:' && !url.username && !url.password;
  if (!valid) {
    throw new ConfigError(
      `SECURITY_CONTACT must be a mailto: address or an https: page, such as mailto:security@example.nl or https://example.nl/melden, not "${env.SECURITY_CONTACT}".`,
    );
  }
  return url!.href;
}

/**
 * The moment a build publishes for (`REEKS_NOW`): now, or an ISO moment, or a day YYYY-MM-DD, taken
 * as noon UTC, which is that same day in every European time zone. Lets the nightly publish and
 * the tests build the site as it will be on a given day.
 */
export function publicationMoment(value: string | undefined, now = new Date()): Date {
  if (value === undefined || value.trim() === '') return now;
  const text = value.trim();
  const moment = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text);
  if (Number.isNaN(moment.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new ConfigError(
      `REEKS_NOW is "${value}", which is not a day or moment. Write a day as YYYY-MM-DD (2027-03-01) or an ISO moment (2027-03-01T06:00:00Z), or leave it unset for now.`,
    );
  }
  return moment;
}
