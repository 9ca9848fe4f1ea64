import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { getPosts } from '../lib/collections.ts';
import { site } from '../site.config.ts';

export const GET: APIRoute = async () =>
  rss({
    title: site.name,
    description: site.description,
    site: site.url,
    customData: `<language>${site.lang}</language>`,
    items: (await getPosts()).slice(0, site.feedItems).map((post) => ({
      title: post.series ? `${post.series.data.title}, deel ${post.part}: ${post.title}` : post.title,
      description: post.description,
      pubDate: post.date,
      link: post.url,
      author: `${post.author.data.email} (${post.author.data.name})`,
      categories: post.services.map((service) => service.data.name),
    })),
  });
