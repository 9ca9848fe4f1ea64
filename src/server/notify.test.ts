import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import type { SitePage } from '../lib/site-page.ts';
import { createSmtpSend, notification } from './notify.ts';

const page: SitePage = {
  path: '/reeks/twee/',
  kind: 'part',
  title: 'Kansen & impact',
  author: 'job',
  series: 'reeks',
  seriesTitle: 'Digitale transformatie',
  part: 2,
  channels: ['email'],
  authorName: 'Job Coenen',
  authorEmail: 'job@example.com',
};
const message = {
  name: 'Anna "de" Vries',
  email: 'anna@gemeente.example.nl',
  question: 'Hoe begin ik?\n<b>Graag snel.</b>',
};

describe('notification', () => {
  it('goes to the author, answers to the reader, and names the part, in Dutch', () => {
    const mail = notification(message, page, 'https://reeks.example.com/stats/', 365);
    expect(mail.to).toEqual({ name: 'Job Coenen', address: 'job@example.com' });
    expect(mail.replyTo).toEqual({ name: 'Anna "de" Vries', address: 'anna@gemeente.example.nl' });
    expect(mail.subject).toBe('Vraag over: Kansen & impact');
    expect(mail.text).toContain('Hallo Job,');
    expect(mail.text).toContain(
      'Anna "de" Vries (anna@gemeente.example.nl) liet een bericht voor je achter onder "Kansen & impact" (Digitale transformatie, deel 2):',
    );
    expect(mail.text).toContain('\nHoe begin ik?\n<b>Graag snel.</b>\n');
    expect(mail.text).toContain('https://reeks.example.com/stats/');
    expect(mail.text).toContain('365 dagen');
  });
});

describe('createSmtpSend', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  it('delivers the notification over SMTP with a login', async () => {
    sink = await startSmtpSink({ user: 'reeks', password: 'geheim' });
    const smtp = createSmtpSend({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'reeks',
      password: 'geheim',
      from: 'Reeks <noreply@example.com>',
    });
    await smtp.send(notification(message, page, 'https://reeks.example.com/stats/', 365));
    smtp.close();
    const [mail] = await sink.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['job@example.com']);
    expect(mail!.from?.value).toEqual([{ name: 'Reeks', address: 'noreply@example.com' }]);
    expect(mail!.replyTo?.value).toEqual([{ name: 'Anna "de" Vries', address: 'anna@gemeente.example.nl' }]);
    expect(mail!.subject).toBe('Vraag over: Kansen & impact');
    expect(mail!.text).toContain('Hoe begin ik?\n<b>Graag snel.</b>');
    expect(mail!.html).toBe(false);
  });

  it('rejects with the SMTP error when the mail server cannot be reached', async () => {
    const closed = await startSmtpSink();
    const closedPort = closed.port;
    await closed.close();
    const smtp = createSmtpSend({
      host: '127.0.0.1',
      port: closedPort,
      secure: false,
      from: 'noreply@example.com',
    });
    await expect(smtp.send(notification(message, page, '/stats/', 365))).rejects.toThrow(/ECONNREFUSED/);
    smtp.close();
  });
});
