// Optional: an e-mail to the author for every stored message, over SMTP configured by the
// environment (src/server/config.ts). Without SMTP_HOST nothing is sent and the report is the inbox.
// The mail is queued in the outbox once the message is committed (src/server/outbox.ts), which
// sends it in the background: it never holds up or fails the reader's answer, a restart does not
// lose it, and a failure is logged without any address.
import nodemailer from 'nodemailer';
import { firstName, partSubject } from '../lib/contact.ts';
import type { SitePage } from '../lib/site-page.ts';
import type { Message } from '../lib/message-form.ts';
import type { SmtpSettings } from './config.ts';
import type { OutgoingMail } from './outbox.ts';

export interface Notification {
  to: { name: string; address: string };
  /** The reader, so the author answers with Reply. */
  replyTo: { name: string; address: string };
  subject: string;
  text: string;
}

/** The e-mail that tells the author about a message (plain text: nothing in it is ever run). */
export function notification(
  message: Message,
  page: SitePage,
  reportUrl: string,
  retentionDays: number,
): Notification {
  const author = firstName(page.authorName);
  const where =
    page.kind === 'part'
      ? `onder "${page.title}" (${page.seriesTitle}, deel ${page.part})`
      : 'op je auteurspagina';
  return {
    to: { name: page.authorName, address: page.authorEmail },
    replyTo: { name: message.name, address: message.email },
    subject: partSubject(page.title),
    text: [
      `Hallo ${author},`,
      '',
      `${message.name} (${message.email}) liet een bericht voor je achter ${where}:`,
      '',
      message.question,
      '',
      `Met Beantwoorden schrijf je ${message.name} direct terug.`,
      `Alle berichten staan ook in de statistieken: ${reportUrl}`,
      `De site bewaart dit bericht ${retentionDays} dagen en verwijdert het daarna.`,
      '',
    ].join('\n'),
  };
}

/**
 * Hands one mail to the SMTP server and resolves once it has taken it (250 after DATA); rejects
 * with nodemailer's error, whose `responseCode` the outbox reads (src/server/outbox.ts). One
 * connection is kept open and reused, so thousands of mails do not each pay for a handshake.
 */
export function createSmtpSend(settings: SmtpSettings): {
  send: (mail: OutgoingMail) => Promise<unknown>;
  close: () => void;
} {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    pool: true,
    maxConnections: 1,
    maxMessages: Infinity,
    // A mail server that does not answer must not hold the outbox for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    send: (mail) => transport.sendMail({ from: settings.from, ...mail }),
    close: () => transport.close(),
  };
}
