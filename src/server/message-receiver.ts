// POST /berichten/: a message from the form under a part. Reads a bounded form body, tells people
// from bots, checks the fields and stores the message. The route (src/pages/berichten/index.astro)
// turns the outcome into a page, or into JSON for the form's script.
//
// A bot (honeypot filled in, or a complete form sent sooner after the page was served than a
// person could) gets the same answer as a person, and nothing is stored or sent. Every request
// counts towards the client's limit; over it, the reader gets the form back with their input.
import type { SitePage } from '../lib/site-page.ts';
import {
  checkMessage,
  formFields,
  messageInput,
  type Message,
  type MessageErrors,
  type MessageInput,
} from '../lib/message-form.ts';
import { messageSource } from '../lib/events.ts';
import { dayOf } from '../lib/period.ts';
import { optsOut, readBody, siteHosts, type BodyRefusal } from './http.ts';
import { checkFormToken, tokenToReturn } from './form-token.ts';
import type { Database } from './database.ts';
import { insertMessage } from './message-store.ts';
import type { RateLimiter } from './rate-limit.ts';
import { failureLog } from './failure-log.ts';

export interface MessageReceiverOptions {
  database: Database;
  /** The pages that carry the form, by path. */
  pages: ReadonlyMap<string, SitePage>;
  limiter: RateLimiter;
  /** Signs and checks the form's token (src/server/form-token.ts). */
  secret: string;
  timeZone: string;
  /** The site's public host: a referrer there is a page of the site (src/lib/traffic-source.ts). */
  siteHost?: string;
  maxBodyBytes: number;
  /** A body must have arrived this long after the request reached the receiver. */
  bodyTimeoutMs: number;
  minFillMs: number;
  maxFormAgeMs: number;
  /** Told about every message once it is committed; must return at once (it queues the e-mail). */
  onStored?: (message: Message, page: SitePage, id: number) => void;
  now?: () => Date;
}

/** The form given back to the reader: what they typed, what is wrong, and a fresh token. */
export interface ReturnedForm {
  page: SitePage;
  input: MessageInput;
  errors: MessageErrors;
  /** What is wrong beyond the fields: an expired form, too many messages, a full disk. */
  notice?: string;
  token: string;
}

export type MessageOutcome =
  | { kind: 'sent'; page: SitePage }
  | ({ kind: 'returned'; status: 422 | 429 | 503; retryAfterSeconds?: number } & ReturnedForm)
  | { kind: 'refused'; status: 400 | 408 | 413 | 415; error: string };

const formType = 'application/x-www-form-urlencoded';

/** "over 1 minuut", "over 12 minuten" */
const inMinutes = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'}`;
};

export function createMessageReceiver(options: MessageReceiverOptions) {
  const {
    database,
    pages,
    limiter,
    secret,
    timeZone,
    maxBodyBytes,
    onStored,
    now = () => new Date(),
  } = options;
  const bodyLimits = { mediaTypes: [formType], maxBytes: maxBodyBytes, timeoutMs: options.bodyTimeoutMs };
  const bodyRefusals: Record<BodyRefusal['reason'], string> = {
    'media-type': `Dit adres ontvangt alleen het berichtenformulier (${formType}).`,
    'too-large': 'Je bericht is te groot om te versturen. Maak je vraag korter.',
    timeout: 'Je bericht kwam niet op tijd binnen. Verstuur het formulier opnieuw.',
    unreadable: 'Het formulier kon niet worden gelezen.',
  };
  const logFailure = failureLog('a message');

  return async function receive(
    request: Request,
    clientAddress: string | undefined,
  ): Promise<MessageOutcome> {
    // Counted before anything else, so refused requests count too.
    const rate = limiter.take(clientAddress ?? 'unknown');

    const body = await readBody(request, bodyLimits);
    if (!body.ok) return { kind: 'refused', status: body.status, error: bodyRefusals[body.reason] };
    const form = new URLSearchParams(body.text);

    const page = pages.get(form.get(formFields.page) ?? '');
    if (!page)
      return { kind: 'refused', status: 400, error: 'Dit formulier hoort niet bij een deel van deze site.' };
    const input = messageInput(form);
    const time = now();
    const sentToken = form.get(formFields.token);
    const token = checkFormToken(sentToken, secret, {
      now: time.getTime(),
      minAgeMs: options.minFillMs,
      maxAgeMs: options.maxFormAgeMs,
    });
    const returnForm = (
      status: 422 | 429 | 503,
      errors: MessageErrors,
      notice?: string,
      retryAfterSeconds?: number,
    ): MessageOutcome => ({
      kind: 'returned',
      status,
      retryAfterSeconds,
      page,
      input,
      errors,
      notice,
      token: tokenToReturn(sentToken, token, secret, time.getTime()),
    });

    if (!rate.allowed) {
      const notice = `Je hebt in korte tijd veel berichten verstuurd. Probeer het ${inMinutes(rate.retryAfterSeconds)} opnieuw.`;
      return returnForm(429, {}, notice, rate.retryAfterSeconds);
    }

    // A bot: the answer a person gets, and nothing stored.
    if (form.get(formFields.honeypot)?.trim()) return { kind: 'sent', page };
    // Mistakes come first, so a person who presses the button too soon is never told "sent".
    const check = checkMessage(input);
    if (!check.ok) return returnForm(422, check.errors);
    if (token === 'too-fast') return { kind: 'sent', page };
    // A page left open too long, or a server restarted with a new secret: the reader sends again.
    if (token !== 'fresh')
      return returnForm(
        422,
        {},
        'Dit formulier was verlopen. Controleer je bericht en verstuur het opnieuw.',
      );

    let id: number | undefined;
    try {
      const clickDay = optsOut(request.headers) ? undefined : dayOf(time, timeZone);
      const source = messageSource(form.get(formFields.referrer), {
        siteHosts: siteHosts(request.headers, options.siteHost),
        pageAddress: request.headers.get('referer'),
      });
      const usedToken = { value: sentToken!, expiresAt: new Date(time.getTime() + options.maxFormAgeMs) };
      id = await database.transaction((tx) =>
        insertMessage(tx, check.message, page, time, { clickDay, source, token: usedToken }),
      );
    } catch (error) {
      logFailure(error);
      return returnForm(
        503,
        {},
        'Je bericht kon nu niet worden opgeslagen. Probeer het over een paar minuten opnieuw.',
        60,
      );
    }
    // A form sent again with a token already used (a double click, a resend): the message is
    // there once, and the reader gets the same answer.
    if (id !== undefined) onStored?.(check.message, page, id);
    return { kind: 'sent', page };
  };
}

/** Whether the form's script asked (it wants JSON; a browser without script gets pages). */
export function wantsJson(request: Request): boolean {
  return (
    request.headers
      .get('accept')
      ?.split(',')
      .some((type) => type.trim().startsWith('application/json')) ?? false
  );
}

/** Headers on every answer of the form's routes: never cached, never indexed. */
export const messageHeaders = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' } as const;

/** The outcome for the form's script. */
export function messageJson(outcome: MessageOutcome): Response {
  if (outcome.kind === 'sent') return Response.json({ sent: true }, { headers: messageHeaders });
  if (outcome.kind === 'refused')
    return Response.json({ error: outcome.error }, { status: outcome.status, headers: messageHeaders });
  const { status, errors, notice, token, retryAfterSeconds } = outcome;
  const retry: Record<string, string> = retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {};
  return Response.json({ errors, notice, token }, { status, headers: { ...messageHeaders, ...retry } });
}
