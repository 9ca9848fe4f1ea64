// /.well-known/security.txt (RFC 9116): where to report a vulnerability, and until when to trust
// the file. Plain so it can be tested without a build; src/pages/.well-known/security.txt.ts serves it.

export interface SecurityTxt {
  /** `mailto:` or `https:`: where to report. */
  contact: string;
  /** When to stop trusting the file; RFC 9116 asks for less than a year ahead. */
  expires: Date;
  /** Languages a report may be written in, first the preferred one. */
  languages: readonly string[];
  /** The address this file is served at. */
  canonical: string;
}

/**
 * Midnight (UTC) `days` days after the day of `now`: by the day, so that two builds of one day
 * write the same file.
 */
export const expiresAfter = (now: Date, days: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));

export function securityTxt({ contact, expires, languages, canonical }: SecurityTxt): string {
  return [
    `Contact: ${contact}`,
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    `Preferred-Languages: ${languages.join(', ')}`,
    `Canonical: ${canonical}`,
    '',
  ].join('\n');
}
