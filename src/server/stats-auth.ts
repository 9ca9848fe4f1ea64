// Who may see the marketing report: HTTP Basic auth against STATS_USER and STATS_PASSWORD. Without
// both, the report does not exist (404).
import { createHash, timingSafeEqual } from 'node:crypto';

export interface StatsCredentials {
  user: string;
  password: string;
}

/** The configured credentials, or undefined when the report is off. */
export function statsCredentials(env: NodeJS.ProcessEnv = process.env): StatsCredentials | undefined {
  const { STATS_USER: user, STATS_PASSWORD: password } = env;
  return user && password ? { user, password } : undefined;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether an Authorization header carries these credentials. Both parts are compared as
 * SHA-256 digests with timingSafeEqual, so neither their length nor the first differing byte
 * shows in the response time, and both comparisons always run.
 */
export function hasCredentials(authorization: string | null, expected: StatsCredentials): boolean {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const userMatches = timingSafeEqual(digest(user), digest(expected.user));
  const passwordMatches = timingSafeEqual(digest(password), digest(expected.password));
  return match !== null && colon >= 0 && userMatches && passwordMatches;
}

/** Headers on every answer under /stats/: never cached, never indexed. */
export const reportHeaders = {
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex, nofollow',
} as const;

/**
 * The answer for a request that may not see the report, or undefined when it may: 404 when the
 * report is off (the site's own 404 page), 401 with a login prompt when the credentials are
 * missing or wrong.
 */
export function refuseReport(request: Request, env: NodeJS.ProcessEnv = process.env): Response | undefined {
  const credentials = statsCredentials(env);
  if (!credentials) return new Response(null, { status: 404, headers: reportHeaders });
  if (hasCredentials(request.headers.get('authorization'), credentials)) return undefined;
  return new Response('Log in met de gebruikersnaam en het wachtwoord voor de statistieken.\n', {
    status: 401,
    headers: {
      ...reportHeaders,
      'Content-Type': 'text/plain; charset=utf-8',
      'WWW-Authenticate': 'Basic realm="Statistieken", charset="UTF-8"',
    },
  });
}
