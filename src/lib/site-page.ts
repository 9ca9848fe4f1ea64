// A page of this build that carries the contact block (every part and every author page), as the
// server knows it from the build's site manifest. The collector checks events against it, the
// message form stores and mails by it, and the report names pages by it. Each of those takes the
// fields it needs with Pick<SitePage, …>, so tests build no more than that.
import type { ContactChannel } from './contact.ts';
import type { PageSection } from './reading-depth.ts';

export interface SitePage {
  path: string;
  kind: 'part' | 'author';
  /** The part's title, or the author's name. */
  title: string;
  /** The author's id. */
  author: string;
  /** Who a message left on this page goes to. */
  authorName: string;
  authorEmail: string;
  /** A part's series id, its title and the part's number; unset on an author page. */
  series?: string;
  seriesTitle?: string;
  part?: number;
  /** The channels whose links its contact block offers (never `message`: the server counts those). */
  channels: readonly ContactChannel[];
  /** A part's sections (its h2 headings), in order: what reading depth is counted against. */
  sections?: readonly PageSection[];
}

/** What an event or a message records of the page it happened on. */
export type PageOrigin = Pick<SitePage, 'path' | 'author' | 'series' | 'part'>;

/** A page as the report names it: 'unknown' for a path the server's pages table never had. */
export type NamedPage = Pick<SitePage, 'path' | 'title' | 'seriesTitle' | 'part'> & {
  kind: SitePage['kind'] | 'unknown';
};

/** What a page's social preview image shows (drawn by src/server/og-image.ts). */
export interface OgCard {
  series?: string;
  /** "Deel 2 van 3" */
  label?: string;
  title: string;
  author?: string;
  site: string;
}
