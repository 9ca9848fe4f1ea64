// Schema.org data for search engines, as JSON-LD. Typed with schema-dts, so `astro check` holds
// every property and type to the schema.org vocabulary.
import type { BlogPosting, BreadcrumbList, CreativeWorkSeries, WithContext } from 'schema-dts';
import { isoDay } from './dates.ts';

/** ISO 8601 duration of whole minutes: 4 → "PT4M". */
export function isoDuration(minutes: number): string {
  return `PT${minutes}M`;
}

export interface PostingInput {
  url: string;
  title: string;
  description: string;
  date: Date;
  updated?: Date;
  readingMinutes: number;
  image?: string;
  author: { name: string; url: string; role: string };
  series?: { title: string; url: string; part: number };
  language: string;
}

export function blogPosting(post: PostingInput): WithContext<BlogPosting> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    '@id': post.url,
    url: post.url,
    headline: post.title,
    description: post.description,
    inLanguage: post.language,
    datePublished: isoDay(post.date),
    dateModified: isoDay(post.updated ?? post.date),
    timeRequired: isoDuration(post.readingMinutes),
    ...(post.image && { image: post.image }),
    author: { '@type': 'Person', name: post.author.name, url: post.author.url, jobTitle: post.author.role },
    ...(post.series && {
      position: post.series.part,
      isPartOf: { '@type': 'CreativeWorkSeries', name: post.series.title, url: post.series.url },
    }),
  };
}

export interface SeriesInput {
  url: string;
  title: string;
  description: string;
  language: string;
  parts: { url: string; title: string; part: number; date: Date }[];
}

export function creativeWorkSeries(series: SeriesInput): WithContext<CreativeWorkSeries> {
  return {
    '@context': 'https://schema.org',
    '@type': 'CreativeWorkSeries',
    '@id': series.url,
    url: series.url,
    name: series.title,
    description: series.description,
    inLanguage: series.language,
    hasPart: series.parts.map((part) => ({
      '@type': 'BlogPosting',
      url: part.url,
      headline: part.title,
      position: part.part,
      datePublished: isoDay(part.date),
    })),
  };
}

/** The trail from the home page to the current page. */
export function breadcrumbList(trail: { name: string; url: string }[]): WithContext<BreadcrumbList> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((step, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      name: step.name,
      item: step.url,
    })),
  };
}

/** JSON for a `<script type="application/ld+json">`, safe against a `</script>` in any text. */
export function jsonLd(data: object): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
