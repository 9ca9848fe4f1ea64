// Reading numbers from the environment strictly: a value that is set but wrong is an operator's
// mistake to report, never a reason to fall back to the default silently (a negative retention
// must not quietly become a year). Shared by the build (src/integrations/content-check.ts) and the
// server (src/server/config.ts).

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
