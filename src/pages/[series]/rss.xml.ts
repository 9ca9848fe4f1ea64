// The feed of one series: its published parts in reading order, each with its description.
import rss from '@astrojs/rss';
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSeries, type Series } from '../../lib/collections.ts';
import { absoluteUrl, site } from '../../site.config.ts';

export const getStaticPaths = (async () =>
  (await getSeries()).map((series) => ({
    params: { series: series.id },
    props: { series },
  }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) => {
  const { series } = props as { series: Series };
  return rss({
    title: `${series.title} | ${site.name}`,
    description: series.description,
    site: absoluteUrl(series.url),
    customData: `<language>${site.lang}</language>`,
    items: series.parts.map((part) => ({
      title: `Deel ${part.part}: ${part.title}`,
      description: part.description,
      pubDate: part.date,
      link: part.url,
      author: `${part.author.data.email} (${part.author.data.name})`,
      categories: part.services.map((service) => service.data.name),
    })),
  });
};
