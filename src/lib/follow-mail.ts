// The mails a follower gets: the confirmation of a follow, and one for each new part. Plain text
// and a simple HTML part with the same content; no images, no tracking pixel. Pure, so the
// wording is tested without a server (follow-mail.test.ts).

export interface MailContent {
  subject: string;
  text: string;
  html: string;
  /** Extra headers: List-Unsubscribe for a part's mail (RFC 2369, RFC 8058). */
  headers?: Record<string, string>;
}

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

/** A small, accessible HTML mail: a language, a title, readable text size, underlined links. */
export function htmlMail(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="nl">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1c1917; max-width: 40em; margin: 0 auto; padding: 1em;">',
    body,
    '</body>',
    '</html>',
  ].join('\n');
}

export const link = (href: string, text: string) =>
  `<a href="${escapeHtml(href)}" style="color: #115e59; text-decoration: underline;">${escapeHtml(text)}</a>`;

export interface ConfirmationMail {
  seriesTitle: string;
  confirmUrl: string;
  days: number;
  siteName: string;
}

export function confirmationMail({ seriesTitle, confirmUrl, days, siteName }: ConfirmationMail): MailContent {
  const subject = `Bevestig dat je "${seriesTitle}" wilt volgen`;
  return {
    subject,
    text: [
      'Hallo,',
      '',
      `Iemand (hopelijk jij) vroeg op ${siteName} om een e-mail bij elk nieuw deel van de reeks "${seriesTitle}".`,
      'Bevestig dat met deze link:',
      '',
      confirmUrl,
      '',
      `De link werkt ${days} dagen. Vroeg je dit niet aan? Dan hoef je niets te doen: zonder bevestiging krijg je geen e-mail meer van ons.`,
      '',
    ].join('\n'),
    html: htmlMail(
      subject,
      [
        '<p>Hallo,</p>',
        `<p>Iemand (hopelijk jij) vroeg op ${escapeHtml(siteName)} om een e-mail bij elk nieuw deel van de reeks <strong>${escapeHtml(seriesTitle)}</strong>.</p>`,
        `<p>${link(confirmUrl, `Bevestig dat je ${seriesTitle} wilt volgen`)}</p>`,
        `<p>De link werkt ${days} dagen. Vroeg je dit niet aan? Dan hoef je niets te doen: zonder bevestiging krijg je geen e-mail meer van ons.</p>`,
      ].join('\n'),
    ),
  };
}

export interface PartMail {
  seriesTitle: string;
  title: string;
  description: string;
  part: number;
  ofParts: number;
  /** The part's address with its campaign tags (mailLink, src/lib/follow-form.ts). */
  partUrl: string;
  /** The page with a button to unsubscribe, linked in the mail. */
  unsubscribeUrl: string;
  /** Where a mail client POSTs RFC 8058's one-click unsubscribe (List-Unsubscribe). */
  oneClickUrl: string;
  siteName: string;
}

export function partMail(mail: PartMail): MailContent {
  const label = `Deel ${mail.part} van ${mail.ofParts}`;
  const subject = `${mail.seriesTitle}, ${label.toLowerCase()}: ${mail.title}`;
  return {
    subject,
    text: [
      `Er is een nieuw deel van de reeks "${mail.seriesTitle}" verschenen.`,
      '',
      `${label}: ${mail.title}`,
      mail.description,
      '',
      `Lees het hier: ${mail.partUrl}`,
      '',
      '--',
      `Je krijgt deze e-mail omdat je de reeks "${mail.seriesTitle}" volgt op ${mail.siteName}.`,
      `Afmelden: ${mail.unsubscribeUrl}`,
      '',
    ].join('\n'),
    html: htmlMail(
      subject,
      [
        `<p>Er is een nieuw deel van de reeks <strong>${escapeHtml(mail.seriesTitle)}</strong> verschenen.</p>`,
        `<p style="margin-bottom: 0;">${escapeHtml(label)}</p>`,
        `<h1 style="font-size: 1.5em; margin-top: 0;">${escapeHtml(mail.title)}</h1>`,
        `<p>${escapeHtml(mail.description)}</p>`,
        `<p>${link(mail.partUrl, `Lees ${mail.title}`)}</p>`,
        '<hr>',
        `<p style="font-size: 0.9em;">Je krijgt deze e-mail omdat je de reeks ${escapeHtml(mail.seriesTitle)} volgt op ${escapeHtml(mail.siteName)}. ${link(mail.unsubscribeUrl, 'Afmelden')}</p>`,
      ].join('\n'),
    ),
    headers: {
      'List-Unsubscribe': `<${mail.oneClickUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
