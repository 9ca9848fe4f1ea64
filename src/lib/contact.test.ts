import { describe, expect, it } from 'vitest';
import { contactLinks, contactQuestion, firstName, mailtoHref, partSubject, telHref } from './contact.ts';

describe('contactQuestion', () => {
  it('asks about the topic and names the author by first name', () => {
    expect(contactQuestion(['digitale transformatie'], 'Job Coenen')).toBe(
      'Meer weten over digitale transformatie? Stel je vraag aan Job.',
    );
  });

  it('joins several topics with "of" and leaves the topic out when there is none', () => {
    expect(contactQuestion(['digitale transformatie', 'archivering', 'privacy'], 'Anna de Vries')).toBe(
      'Meer weten over digitale transformatie, archivering of privacy? Stel je vraag aan Anna.',
    );
    expect(contactQuestion([], 'Anna de Vries')).toBe('Meer weten? Stel je vraag aan Anna.');
  });

  it('takes the first word of the name, whatever the spacing', () => {
    expect(firstName('  Jan-Willem   van den Berg ')).toBe('Jan-Willem');
    expect(firstName('Job')).toBe('Job');
  });
});

describe('mailtoHref', () => {
  it('percent-encodes the subject with %20 for spaces, never +', () => {
    const href = mailtoHref(
      'job.coenen@example.com',
      partSubject('Kansen en impact voor de dienstverlening'),
    );
    expect(href).toBe(
      'mailto:job.coenen@example.com?subject=Vraag%20over%3A%20Kansen%20en%20impact%20voor%20de%20dienstverlening',
    );
  });

  it('encodes characters that would end the subject or start another field', () => {
    const href = mailtoHref('a@example.com', partSubject('Gevolgen voor de I&A-organisatie? #2 100%'));
    const subject = new URL(href).searchParams;
    expect(subject.get('subject')).toBe('Vraag over: Gevolgen voor de I&A-organisatie? #2 100%');
    expect([...subject.keys()]).toEqual(['subject']);
    expect(href).not.toMatch(/[ &#]/);
  });

  it('keeps non-ASCII titles intact', () => {
    const href = mailtoHref('a@example.com', partSubject('Één overheid, één loket'));
    expect(decodeURIComponent(href.split('subject=')[1]!)).toBe('Vraag over: Één overheid, één loket');
  });
});

describe('telHref', () => {
  it.each([
    ['+31 20 123 4567', 'tel:+31201234567'],
    ['+31 (0)20 123 4567', 'tel:+31201234567'],
    ['020-123 45 67', 'tel:0201234567'],
    ['(020) 123 4567', 'tel:0201234567'],
  ])('%s → %s', (phone, href) => {
    expect(telHref(phone)).toBe(href);
  });
});

describe('contactLinks', () => {
  const job = {
    name: 'Job Coenen',
    email: 'job.coenen@example.com',
    phone: '+31 20 123 4567',
    linkedin: 'https://www.linkedin.example.com/in/job-coenen',
  };

  it('gives one link per channel the author has, e-mail first', () => {
    const links = contactLinks(job, 'Vraag over: Test');
    expect(links.map((link) => [link.channel, link.label])).toEqual([
      ['email', 'Mail Job'],
      ['phone', 'Bel Job'],
      ['linkedin', 'Job op LinkedIn'],
    ]);
    expect(links[1]!.href).toBe('tel:+31201234567');
    expect(links[2]!.href).toBe(job.linkedin);
  });

  it('leaves out channels the author does not have', () => {
    const links = contactLinks({ name: 'Anna de Vries', email: 'anna@example.com' }, 'x');
    expect(links.map((link) => link.channel)).toEqual(['email']);
  });
});
