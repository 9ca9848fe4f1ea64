// Astro's middleware, around every route served on demand: a route that needed the server
// context where there is none (the adapter's entry started without `npm start`) answers 503
// rather than the 500 page.
import { defineMiddleware } from 'astro:middleware';
import { missingContextAnswer, ServerContextMissing } from './server/route-context.ts';

export const onRequest = defineMiddleware(async (_context, next) => {
  try {
    return await next();
  } catch (error) {
    if (error instanceof ServerContextMissing) return missingContextAnswer();
    throw error;
  }
});
