// Optional: an e-mail to the author for every stored message, over SMTP configured by the
// environment (src/server/config.ts). Without SMTP_HOST nothing is sent and the report is the inbox. Mail goes out after
// the message is committed, one at a time, and never holds up or fails the reader's answer: a
// failure is logged, and the message is in the report either way.
import nodemailer from 'nodemailer';
import { firstName, partSubject } from '../lib/contact.ts';
import type { SitePage } from '../lib/site-page.ts';
import type { Message } from '../lib/message-form.ts';
import type { SmtpSettings } from './config.ts';

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

/** Sends notifications one after another in the background; `log` hears of every failure. */
export function createNotifier(
  settings: SmtpSettings,
  log: (line: string) => void = console.error,
): (mail: Notification) => Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
    // A mail server that does not answer must not keep mail queued for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  let queue: Promise<void> = Promise.resolve();
  return (mail) => {
    queue = queue
      .then(() => transport.sendMail({ from: settings.from, ...mail }))
      .then(
        () => undefined,
        (error: Error) => {
          log(`Could not e-mail ${mail.to.address} about a new message: ${error.message}`);
        },
      );
    return queue;
  };
}
