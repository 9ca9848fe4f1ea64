// The previews of this build and the address of every published post (src/lib/previews.ts), for
// the server's preview links. Moved out of the public files with the previews themselves
// (src/integrations/previews.ts): a draft's title is no public matter either.
import type { APIRoute } from 'astro';
import { getPosts, getPreviewPosts } from '../../lib/collections.ts';
import { isoDay } from '../../lib/dates.ts';
import { previewKey, type PreviewIndex } from '../../lib/previews.ts';

export const GET: APIRoute = async () =>
  Response.json({
    previews: (await getPreviewPosts()).map((post) => ({
      id: post.entry.id,
      key: previewKey(post.entry.id),
      title: post.title,
      url: post.url,
      seriesTitle: post.series?.data.title,
      part: post.part,
      date: isoDay(post.date),
      draft: post.draft,
    })),
    published: Object.fromEntries((await getPosts()).map((post) => [post.entry.id, post.url])),
  } satisfies PreviewIndex);
