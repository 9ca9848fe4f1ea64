// The social preview card of every series and post, written at build time for the server, which
// draws each image on its first request (src/pages/og/).
import type { APIRoute } from 'astro';
import { getOgCards } from '../../lib/collections.ts';

export const GET: APIRoute = async () => Response.json(await getOgCards());
