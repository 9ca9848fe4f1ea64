// /admin on the live site: the editor's own address is /keystatic.
import type { APIRoute } from 'astro';

export const prerender = false;

export const GET: APIRoute = ({ redirect }) => redirect('/keystatic', 302);
