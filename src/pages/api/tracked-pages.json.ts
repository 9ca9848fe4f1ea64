// The pages with a contact block in this build, written at build time for `npm start`, which
// serves the collector itself (src/server/start.ts) and needs to know them without Astro.
import type { APIRoute } from 'astro';
import { getTrackedPages } from '../../lib/collections.ts';

export const GET: APIRoute = async () => Response.json(await getTrackedPages());
