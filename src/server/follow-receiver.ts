// Following a series by e-mail, on the server: the follow form (POST /volgen/), the confirmation
// link (POST /volgen/bevestigen/) and unsubscribing (POST /volgen/afmelden/, also RFC 8058's
// one-click POST). The routes in src/pages/volgen/ turn each outcome into a page.
//
// The form has the message form's protection (token, honeypot, a limit per client) and one more:
// at most one confirmation mail for a series to one address per followForm.perAddressHours, whoever asks, so the
// form cannot flood somebody else's mailbox. Nobody follows before clicking the link in that mail;
// the link carries the address, so nothing is stored about an unconfirmed address but its keyed
// hash and the moment (for that limit). Opening a link only shows a page with a button: mail
// scanners open every link, and only the button's POST acts.
import {
  checkFollow,
  followFields,
  mailLink,
  type FollowErrors,
  type FollowInput,
} from '../lib/follow-form.ts';
import { confirmationMail, partMail } from '../lib/follow-mail.ts';
import { dayOf } from '../lib/period.ts';
import { followForm, paths, site } from '../site.config.ts';
import type { Database } from './database.ts';
import { errorForLog } from './log-lines.ts';
import { checkFormToken, tokenToReturn } from './form-token.ts';
import {
  addressKey,
  checkConfirmToken,
  checkUnsubscribeToken,
  confirmToken,
  unsubscribeToken,
} from './follow-links.ts';
import { confirmFollower, recordFollowRequest, unsubscribe, type PublishedPart } from './follow-store.ts';
import { readBody, type BodyRefusal } from './http.ts';
import { queueMail, type OutboxRow, type OutgoingMail } from './outbox.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { Keys } from './secrets.ts';

/** A series as the build's site manifest lists it for following (src/server/context.ts). */
export interface FollowSeries {
  id: string;
  title: string;
  parts: PublishedPart[];
}

export interface FollowOptions {
  database: Database;
  keys: Keys;
  series: ReadonlyMap<string, FollowSeries>;
  /** The site's public address, for the links in mail (config.siteUrl). */
  siteUrl: string;
  limiter: RateLimiter;
  /** A form body must have arrived this many milliseconds after it began (REEKS_BODY_TIMEOUT_SECONDS). */
  bodyTimeoutMs: number;
  /** False without SMTP: the form then says that following by e-mail is not available. */
  mailOn: boolean;
  minFillMs: number;
  maxFormAgeMs: number;
  /** Told when a mail was queued, so the outbox sends it now. */
  onQueued?: () => void;
  now?: () => Date;
}

export interface ReturnedFollowForm {
  series: FollowSeries;
  from: string;
  input: FollowInput;
  errors: FollowErrors;
  notice?: string;
  token: string;
}

export type FollowOutcome =
  | { kind: 'sent'; series: FollowSeries }
  | ({ kind: 'returned'; status: 422 | 429 | 503; retryAfterSeconds?: number } & ReturnedFollowForm)
  | { kind: 'too-many'; series: FollowSeries }
  | { kind: 'refused'; status: 400 | 408 | 413 | 415 | 503; error: string };

export type ConfirmOutcome =
  | { kind: 'confirmed' | 'already'; series: FollowSeries }
  | { kind: 'expired'; series?: FollowSeries }
  | { kind: 'invalid' };

export type UnsubscribeOutcome =
  { kind: 'done'; series?: FollowSeries; left: number; all: boolean } | { kind: 'invalid' };

const formType = 'application/x-www-form-urlencoded';
const day = (time: Date) => dayOf(time, site.timeZone);

const formTypes = [formType, 'multipart/form-data'] as const;

/**
 * A follow route's form, read by the server's one body reader (src/server/http.ts). Only RFC
 * 8058's one-click POST may come as multipart/form-data; the site's own forms are urlencoded.
 */
async function readForm(
  request: Request,
  limits: { maxBytes: number; timeoutMs: number; multipart?: boolean },
): Promise<URLSearchParams | BodyRefusal> {
  const body = await readBody(request, {
    mediaTypes: limits.multipart ? formTypes : [formType],
    maxBytes: limits.maxBytes,
    timeoutMs: limits.timeoutMs,
  });
  if (!body.ok) return body;
  if (body.mediaType === formType) return new URLSearchParams(body.text);
  try {
    const data = await new Response(body.text, {
      headers: { 'content-type': request.headers.get('content-type')! },
    }).formData();
    const form = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string') form.append(name, value);
    return form;
  } catch {
    return { ok: false, status: 400, reason: 'unreadable' };
  }
}

export function createFollowing(options: FollowOptions) {
  const { database, keys, series: allSeries, limiter, now = () => new Date() } = options;
  const formKey = keys.key('form-token').toString('base64url');
  const absoluteUrl = (path: string) => new URL(path, options.siteUrl).href;
  const limits = { maxBytes: followForm.maxBodyBytes, timeoutMs: options.bodyTimeoutMs };

  async function follow(request: Request, clientAddress: string | undefined): Promise<FollowOutcome> {
    const rate = limiter.take(clientAddress ?? 'unknown');
    const form = await readForm(request, limits);
    if (!(form instanceof URLSearchParams)) {
      const errors = {
        'media-type': 'Dit adres ontvangt alleen het formulier om een reeks te volgen.',
        'too-large': 'Dit formulier is te groot om te versturen.',
        timeout: 'Het formulier kwam te traag binnen. Probeer het opnieuw.',
        unreadable: 'Het formulier kon niet worden gelezen.',
      } as const;
      return { kind: 'refused', status: form.status, error: errors[form.reason] };
    }
    const series = allSeries.get(form.get(followFields.series) ?? '');
    if (!series)
      return { kind: 'refused', status: 400, error: 'Dit formulier hoort niet bij een reeks van deze site.' };
    const sentFrom = form.get(followFields.from) ?? '';
    // Only a page of the site: a path, never an address elsewhere.
    const from = /^\/[\w\-/]{0,200}$/.test(sentFrom) ? sentFrom : paths.follow(series.id);
    const time = now();
    const sentToken = form.get(followFields.token);
    const token = checkFormToken(sentToken, formKey, {
      now: time.getTime(),
      minAgeMs: options.minFillMs,
      maxAgeMs: options.maxFormAgeMs,
    });
    const check = checkFollow(form);
    const input = check.ok ? { email: check.email, consent: true } : check.input;
    const returnForm = (
      status: 422 | 429 | 503,
      errors: FollowErrors,
      notice?: string,
      retryAfterSeconds?: number,
    ): FollowOutcome => ({
      kind: 'returned',
      status,
      retryAfterSeconds,
      series,
      from,
      input,
      errors,
      notice,
      token: tokenToReturn(sentToken, token, formKey, time.getTime()),
    });

    if (!rate.allowed) {
      const minutes = Math.max(1, Math.ceil(rate.retryAfterSeconds / 60));
      return returnForm(
        429,
        {},
        `Vanaf jouw verbinding kwamen in korte tijd veel aanvragen. Probeer het over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} opnieuw.`,
        rate.retryAfterSeconds,
      );
    }
    if (form.get(followFields.honeypot)?.trim()) return { kind: 'sent', series };
    if (!check.ok) return returnForm(422, check.errors);
    if (token === 'too-fast') return { kind: 'sent', series };
    if (token !== 'fresh')
      return returnForm(
        422,
        {},
        'Dit formulier was verlopen. Controleer je e-mailadres en verstuur het opnieuw.',
      );
    if (!options.mailOn)
      return {
        kind: 'refused',
        status: 503,
        error: 'Volgen per e-mail is op deze site (nog) niet mogelijk. Gebruik de feed van de reeks.',
      };

    const key = addressKey(keys, check.email);
    const link = absoluteUrl(
      `${paths.followConfirm}?t=${confirmToken(keys, { email: check.email, series: series.id, from, requestedAt: time.getTime() })}`,
    );
    const content = confirmationMail({
      seriesTitle: series.title,
      confirmUrl: link,
      days: followForm.confirmDays,
      siteName: site.name,
    });
    let recorded: 'recorded' | 'too-many';
    try {
      recorded = await database.transaction(async (tx) => {
        const result = await recordFollowRequest(tx, {
          addressKey: key,
          series: series.id,
          now: time,
          day: day(time),
          perAddressMs: followForm.perAddressHours * 3_600_000,
          linkMs: followForm.confirmDays * 86_400_000,
        });
        if (result === 'recorded')
          await queueMail(
            tx,
            {
              recipient: key,
              cause: `confirm:${series.id}:${time.getTime()}`,
              kind: 'confirm',
              series: series.id,
              content: { to: check.email, ...content },
            },
            time,
          );
        return result;
      });
    } catch (error) {
      console.error(`Could not store a follow request: ${errorForLog(error)}`);
      return returnForm(
        503,
        {},
        'Je aanvraag kon nu niet worden verwerkt. Probeer het over een paar minuten opnieuw.',
        60,
      );
    }
    if (recorded === 'too-many') return { kind: 'too-many', series };
    options.onQueued?.();
    return { kind: 'sent', series };
  }

  /** POST /volgen/bevestigen/: the button on the page the confirmation link opens. */
  async function confirm(request: Request): Promise<ConfirmOutcome> {
    const form = await readForm(request, limits);
    if (!(form instanceof URLSearchParams)) return { kind: 'invalid' };
    return confirmWith(form.get('t'), true);
  }

  /** What a confirmation link says; with `act`, also makes the follower. */
  async function confirmWith(token: string | null | undefined, act: boolean): Promise<ConfirmOutcome> {
    const time = now();
    const check = checkConfirmToken(keys, token, {
      now: time.getTime(),
      maxAgeMs: followForm.confirmDays * 86_400_000,
    });
    if (check.kind === 'invalid') return { kind: 'invalid' };
    const series = allSeries.get(check.value.series);
    if (check.kind === 'expired') return { kind: 'expired', series };
    if (!series) return { kind: 'invalid' };
    if (!act) return { kind: 'confirmed', series };
    const key = addressKey(keys, check.value.email);
    const result = await database.transaction((tx) =>
      confirmFollower(tx, {
        addressKey: key,
        email: check.value.email,
        series: series.id,
        from: check.value.from,
        now: time,
        day: day(time),
      }),
    );
    return { kind: result, series };
  }

  /**
   * POST /volgen/afmelden/?t=…: the page's buttons (`scope=alle` for every series) and RFC 8058's
   * one-click POST alike. The signature is the check: no token, Origin or limit.
   */
  async function unsubscribeRequest(
    request: Request,
    url: URL,
  ): Promise<UnsubscribeOutcome & { oneClick: boolean }> {
    const form = await readForm(request, { ...limits, multipart: true });
    const fields = form instanceof URLSearchParams ? form : new URLSearchParams();
    const oneClick = fields.get('List-Unsubscribe') === 'One-Click';
    const found = checkUnsubscribeToken(keys, url.searchParams.get('t') ?? fields.get('t'));
    if (!found) return { kind: 'invalid', oneClick };
    const all = !oneClick && fields.get('scope') === 'alle';
    const time = now();
    const left = await database.transaction((tx) =>
      unsubscribe(tx, {
        addressKey: found.addressKey,
        series: all ? undefined : found.series,
        day: day(time),
      }),
    );
    return { kind: 'done', series: allSeries.get(found.series), left: left.length, all, oneClick };
  }

  /** What an unsubscribe link names, for the page it opens. */
  function unsubscribeLink(token: string | null | undefined): { series?: FollowSeries; valid: boolean } {
    const found = checkUnsubscribeToken(keys, token);
    return found ? { valid: true, series: allSeries.get(found.series) } : { valid: false };
  }

  /** A part's mail for one follower, made when it is sent (src/server/outbox.ts). */
  function composePart(row: OutboxRow): OutgoingMail | undefined {
    if (!row.followerEmail || !row.followerKey || !row.publication || !row.series || row.part === null)
      return undefined;
    const { publication } = row;
    const token = unsubscribeToken(keys, { addressKey: row.followerKey, series: row.series });
    return {
      to: row.followerEmail,
      ...partMail({
        seriesTitle: publication.seriesTitle,
        title: publication.title,
        description: publication.description,
        part: row.part,
        ofParts: publication.ofParts,
        partUrl: mailLink(absoluteUrl(publication.path), row.series),
        unsubscribeUrl: absoluteUrl(`${paths.unsubscribe}?t=${token}`),
        oneClickUrl: absoluteUrl(`${paths.unsubscribeOneClick}?t=${token}`),
        siteName: site.name,
      }),
    };
  }

  const seriesOf = (id: string | null | undefined) => allSeries.get(id ?? '');

  return { follow, confirm, confirmWith, unsubscribeRequest, unsubscribeLink, composePart, seriesOf };
}

export type Following = ReturnType<typeof createFollowing>;

/** Headers on every answer of the follow routes: never cached, never indexed. */
export const followHeaders = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' } as const;
