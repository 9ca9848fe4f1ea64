// The form "Laat een bericht achter": its fields, their limits and the Dutch message for each
// mistake. Pure, so the rules are tested without a server (message-form.test.ts); the server checks
// every message with it, and the form shows its limits.
import { z } from 'astro/zod';
import type { NamedPage } from './site-page.ts';

/** Longest value of each field, in characters. */
export const messageLimits = { name: 100, email: 254, question: 2000 } as const;

/** The fields a reader fills in, as the form posts them and in the order the form shows them. */
export const messageFields = ['name', 'email', 'question', 'consent'] as const;
export type MessageField = (typeof messageFields)[number];

/**
 * The other fields the form posts: the page it is on, the signed moment it was served
 * (src/server/form-token.ts) and a honeypot a person never sees, named so a bot fills it in.
 */
/**
 * `referrer` is added by the form's script (src/client/message-form.ts): where the reader's view
 * of the part came from, so the message counts toward that source.
 */
export const formFields = {
  page: 'page',
  token: 'token',
  honeypot: 'website',
  referrer: 'referrer',
} as const;

/** A form token: milliseconds since 1970 in 13 digits (until the year 2286), a dot, 43 characters of HMAC. */
export const formTokenLength = 13 + 1 + 43;

/**
 * What a prerendered page carries instead of a token, for `npm start` to replace as it serves the
 * page: just as long, so Content-Length stays right.
 */
export const formTokenPlaceholder = 'reeks-form-token-placeholder'.padEnd(formTokenLength, '-');

/** What the reader typed, cleaned up, as the form shows it again. */
export interface MessageInput {
  name: string;
  email: string;
  question: string;
  consent: boolean;
}

/** A message that passed every check. */
export interface Message {
  name: string;
  email: string;
  question: string;
}

/** A stored message with the page it came from, as the report names it. */
export interface StoredMessage extends Message {
  id: number;
  createdAt: Date;
  path: string;
  author: string;
  /** The page as the server last knew it. */
  page: NamedPage;
}

export type MessageErrors = Partial<Record<MessageField, string>>;

export type MessageCheck = { ok: true; message: Message } | { ok: false; errors: MessageErrors };

export const emptyInput: MessageInput = { name: '', email: '', question: '', consent: false };

// Control characters never belong in a name or an address, and in a question only line breaks
// and tabs do: they could otherwise reach a mail header or a terminal (npm run messages).
const lineControls = /[\u0000-\u001f\u007f-\u009f]/g;
const textControls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Reads the form's fields: the first value of each, control characters removed, trimmed. */
export function messageInput(form: URLSearchParams): MessageInput {
  const line = (field: string) => (form.get(field) ?? '').replace(lineControls, '').trim();
  return {
    name: line('name'),
    email: line('email'),
    question: (form.get('question') ?? '').replace(/\r\n?/g, '\n').replace(textControls, '').trim(),
    consent: form.has('consent'),
  };
}

/** Length as a reader counts it: characters, not UTF-16 code units. */
const length = (value: string) => [...value].length;

const emailFormat = z.email();

/** Checks every field and returns a Dutch message for each one that is wrong. */
export function checkMessage(input: MessageInput): MessageCheck {
  const errors: MessageErrors = {};
  const { name, email, question } = input;

  if (!name) errors.name = 'Vul je naam in.';
  else if (length(name) > messageLimits.name)
    errors.name = `Je naam is te lang. Gebruik hoogstens ${messageLimits.name} tekens.`;

  if (!email) errors.email = 'Vul je e-mailadres in.';
  else if (length(email) > messageLimits.email)
    errors.email = `Dit e-mailadres is te lang. Gebruik hoogstens ${messageLimits.email} tekens.`;
  else if (!emailFormat.safeParse(email).success)
    errors.email = 'Vul een geldig e-mailadres in, zoals naam@gemeente.nl.';

  if (!question) errors.question = 'Vul je vraag in.';
  else if (length(question) > messageLimits.question) {
    errors.question = `Je vraag is ${length(question)} tekens lang. Maak hem korter: hoogstens ${messageLimits.question} tekens.`;
  }

  if (!input.consent) errors.consent = 'Ga akkoord met de privacyverklaring om je bericht te versturen.';

  return Object.keys(errors).length > 0
    ? { ok: false, errors }
    : { ok: true, message: { name, email, question } };
}
