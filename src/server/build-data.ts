// What a build published, as the server's own routes need it. `npm start` reads the JSON files the
// build wrote (src/pages/api/*.json.ts); `npm run dev`, which has no build, asks the content
// collections. Built servers never import the collections: that would put every MDX module into
// the server bundle, the slowest part of a large build.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TrackedPage } from '../lib/collections.ts';
import type { OgCard } from '../lib/og-image.ts';

/** The build `npm start` serves (src/server/start.ts sets it). */
const buildDir = () => resolve(process.env.REEKS_BUILD_DIR ?? 'dist');

function readBuildJson<T>(name: string, dir: string): T {
  return JSON.parse(readFileSync(join(dir, 'client', 'api', name), 'utf8')) as T;
}

/** The pages with a contact block in the build in `dir` (src/pages/api/tracked-pages.json.ts). */
export const readTrackedPages = (dir = buildDir()) => readBuildJson<TrackedPage[]>('tracked-pages.json', dir);

/** The pages with a contact block, for the server's routes. */
export async function trackedPages(): Promise<TrackedPage[]> {
  if (import.meta.env.DEV) return (await import('../lib/collections.ts')).getTrackedPages();
  return readTrackedPages();
}

let cards: Promise<Record<string, OgCard>> | undefined;

/** The social preview card of each page, by its path (src/pages/api/og-cards.json.ts). */
export function ogCards(): Promise<Record<string, OgCard>> {
  if (import.meta.env.DEV) return import('../lib/collections.ts').then(({ getOgCards }) => getOgCards());
  cards ??= Promise.resolve().then(() => readBuildJson('og-cards.json', buildDir()));
  return cards;
}
