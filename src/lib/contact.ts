// The contact block under each part and on the author's page: the question above it and one
// link per channel the author has.

/**
 * Ways a reader contacts an author, in the order the block and the report show them. The first
 * three are links the tracking script counts; `message` is the form, counted by the server when
 * it stores a message (src/server/message-receiver.ts).
 */
export const contactChannels = ['email', 'phone', 'linkedin', 'message'] as const;
export type ContactChannel = (typeof contactChannels)[number];
export type LinkChannel = Exclude<ContactChannel, 'message'>;

/** Dutch names of the channels, for the block and the report. */
export const channelNames: Record<ContactChannel, string> = {
  email: 'E-mail',
  phone: 'Telefoon',
  linkedin: 'LinkedIn',
  message: 'Bericht',
};

export interface ContactDetails {
  name: string;
  email: string;
  phone?: string;
  linkedin?: string;
}

export interface ContactLink {
  channel: LinkChannel;
  href: string;
  /** What the link does, with the author's first name: "Mail Job". */
  label: string;
  /** The address or number, shown with the label so it can be copied. */
  detail?: string;
}

/** "Job" for "Job Coenen": the first word of the name. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

const orList = new Intl.ListFormat('nl', { type: 'disjunction' });

/** "Meer weten over digitale transformatie? Stel je vraag aan Job." */
export function contactQuestion(topics: readonly string[], authorName: string): string {
  const about = topics.length > 0 ? ` over ${orList.format(topics)}` : '';
  return `Meer weten${about}? Stel je vraag aan ${firstName(authorName)}.`;
}

/**
 * A mailto link with a subject. RFC 6068 wants the subject percent-encoded with spaces as %20
 * (a + would show up in the subject); encodeURIComponent does exactly that, and also encodes
 * & ? # so a title like "I&A" cannot cut the subject short. The address itself passed the
 * content schema's e-mail check, which allows none of the characters that need encoding.
 */
export function mailtoHref(email: string, subject: string): string {
  return `mailto:${email}?subject=${encodeURIComponent(subject)}`;
}

/** "+31 (0)20 123 4567" → "tel:+31201234567": digits only, the (0) of a national prefix dropped. */
export function telHref(phone: string): string {
  const international = phone.trim().startsWith('+');
  const digits = (international ? phone.replace(/\(0\)/g, '') : phone).replace(/\D/g, '');
  return `tel:${international ? '+' : ''}${digits}`;
}

/** One link per channel the author has, in the order of `contactChannels`. */
export function contactLinks(author: ContactDetails, subject: string): ContactLink[] {
  const name = firstName(author.name);
  const links: ContactLink[] = [
    {
      channel: 'email',
      href: mailtoHref(author.email, subject),
      label: `Mail ${name}`,
      detail: author.email,
    },
  ];
  if (author.phone) {
    links.push({ channel: 'phone', href: telHref(author.phone), label: `Bel ${name}`, detail: author.phone });
  }
  if (author.linkedin) {
    links.push({ channel: 'linkedin', href: author.linkedin, label: `${name} op LinkedIn` });
  }
  return links;
}

/** The subject of the e-mail a reader starts from a part. */
export function partSubject(partTitle: string): string {
  return `Vraag over: ${partTitle}`;
}
