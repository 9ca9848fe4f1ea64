// "Volg deze reeks per e-mail": the form's fields and the check of what a reader sent. The form
// carries the same token and honeypot as the message form (src/lib/message-form.ts).
import { z } from 'astro/zod';
import { formFields } from './message-form.ts';

/** The form's field names; token and honeypot are the message form's. */
export const followFields = {
  email: 'email',
  consent: 'consent',
  series: 'reeks',
  /** The page the form was sent from, kept with the follower. */
  from: 'vanaf',
  token: formFields.token,
  honeypot: formFields.honeypot,
} as const;

/** RFC 5321's limit on a path, and what the form says it accepts. */
export const maxAddressLength = 254;

export interface FollowInput {
  email: string;
  consent: boolean;
}

export type FollowErrors = Partial<Record<keyof FollowInput, string>>;

export type FollowCheck =
  { ok: true; email: string } | { ok: false; errors: FollowErrors; input: FollowInput };

const emailFormat = z.email();
// Any control character, CR and LF first: an address with one could split a mail header.
const controls = /[\u0000-\u001f\u007f-\u009f]/;

/** Checks the address and the consent; an address is never cleaned up, only accepted or refused. */
export function checkFollow(form: URLSearchParams): FollowCheck {
  const raw = form.get(followFields.email) ?? '';
  const email = raw.trim();
  const consent = form.has(followFields.consent);
  const errors: FollowErrors = {};
  // What is shown again in the field: never a control character.
  const input = { email: email.replace(new RegExp(controls, 'g'), ''), consent };
  if (!email) errors.email = 'Vul je e-mailadres in.';
  else if (controls.test(raw)) errors.email = 'Dit e-mailadres bevat tekens die niet in een adres horen.';
  else if ([...email].length > maxAddressLength)
    errors.email = `Dit e-mailadres is te lang. Gebruik hoogstens ${maxAddressLength} tekens.`;
  else if (!emailFormat.safeParse(email).success)
    errors.email = 'Vul een geldig e-mailadres in, zoals naam@gemeente.nl.';
  if (!consent) errors.consent = 'Geef toestemming om je e-mailadres te bewaren zolang je de reeks volgt.';
  return Object.keys(errors).length > 0 ? { ok: false, errors, input } : { ok: true, email };
}

/** The link to a part in a mail, tagged so the report counts the readers it brings. */
export function mailLink(url: string, seriesId: string): string {
  const link = new URL(url);
  link.searchParams.set('utm_source', 'e-mail');
  link.searchParams.set('utm_medium', 'email');
  link.searchParams.set('utm_campaign', seriesId);
  return link.href;
}
