import { defineCollection } from 'astro/content/config';
import { glob } from 'astro/loaders';

export const collections = {
  posts: defineCollection({
    loader: glob({ pattern: '**/*.mdx', base: `${process.env.CONTENT_DIR}/posts` }),
  }),
};
