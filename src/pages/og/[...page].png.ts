// Social preview images for every series and post, drawn at build time.
import type { APIRoute, GetStaticPaths } from 'astro';
import { getPosts, getSeries, getSeriesById, partLabel } from '../../lib/collections.ts';
import { ogImage, type OgCard } from '../../lib/og-image.ts';
import { site } from '../../site.config.ts';

const pageOf = (url: string) => url.replace(/^\/|\/$/g, '');

export const getStaticPaths = (async () => {
  const series = await getSeries();
  const seriesById = await getSeriesById();
  const seriesCards = series.map((item) => ({
    params: { page: pageOf(item.url) },
    props: { card: { series: 'Reeks', label: `${item.outline.length} delen`, title: item.title, site: site.name } },
  }));
  const postCards = (await getPosts()).map((post) => {
    const inSeries = post.series && seriesById.get(post.series.id);
    const card: OgCard = {
      series: inSeries?.title,
      label: inSeries && post.part !== undefined ? partLabel(post.part, inSeries) : undefined,
      title: post.title,
      author: post.author.data.name,
      site: site.name,
    };
    return { params: { page: pageOf(post.url) }, props: { card } };
  });
  return [...seriesCards, ...postCards];
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) =>
  new Response(new Uint8Array(await ogImage(props.card as OgCard)), { headers: { 'Content-Type': 'image/png' } });
