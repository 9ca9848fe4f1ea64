// Social preview images (1200×630), drawn by the server when first asked for: satori lays out the
// text with a font from node_modules (no network), sharp turns the SVG into a PNG. Each image is
// cached on disk by its content, so a card is drawn once, whatever the number of builds and
// restarts, and redrawn only when its text or the design changes. Drawing happens in worker
// threads (this same file), so it never holds up the server's other requests.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import satori from 'satori';
import sharp from 'sharp';
import type { OgCard } from '../lib/site-page.ts';

export type { OgCard };

export const ogSize = { width: 1200, height: 630 } as const;

const require = createRequire(join(process.cwd(), 'package.json'));
const font = (weight: 400 | 700) =>
  readFileSync(require.resolve(`@fontsource/source-sans-3/files/source-sans-3-latin-${weight}-normal.woff`));
let fonts: { name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[] | undefined;

type Node = {
  type: string;
  props: { style?: Record<string, unknown>; children?: (Node | string)[] | string };
};
const element = (style: Record<string, unknown>, children: (Node | string)[] | string): Node => ({
  type: 'div',
  props: { style: { display: 'flex', ...style }, children },
});

function layout(card: OgCard): Node {
  const teal = '#115e59';
  const padding = 72;
  const band = 24;
  return element(
    {
      // satori sizes the content box: take the padding and the band off the image size.
      width: ogSize.width - 2 * padding,
      height: ogSize.height - 2 * padding - band,
      flexDirection: 'column',
      justifyContent: 'space-between',
      padding,
      background: '#fafaf9',
      color: '#1c1917',
      borderTop: `${band}px solid ${teal}`,
      fontFamily: 'Source Sans 3',
    },
    [
      element({ flexDirection: 'column', gap: 12 }, [
        ...(card.series ? [element({ fontSize: 36, fontWeight: 700, color: teal }, card.series)] : []),
        ...(card.label ? [element({ fontSize: 32, color: '#44403c' }, card.label)] : []),
      ]),
      element(
        { width: '100%', fontSize: card.title.length > 60 ? 60 : 76, fontWeight: 700, lineHeight: 1.1 },
        card.title,
      ),
      element({ width: '100%', justifyContent: 'space-between', fontSize: 30, color: '#44403c' }, [
        element({}, card.author ?? ''),
        element({ fontWeight: 700, color: teal }, card.site),
      ]),
    ],
  );
}

const cacheDir = join('node_modules', '.cache', 'og-images');

/** Where the PNG of a card is kept between builds; keyed by the whole layout, so a design change redraws. */
export function ogImageCacheFile(card: OgCard): string {
  const key = createHash('sha256')
    .update(JSON.stringify(layout(card)))
    .digest('hex')
    .slice(0, 32);
  return join(cacheDir, `${key}.png`);
}

/** Draws a card, without the cache. */
async function draw(card: OgCard): Promise<Buffer> {
  fonts ??= [
    { name: 'Source Sans 3', data: font(400), weight: 400, style: 'normal' },
    { name: 'Source Sans 3', data: font(700), weight: 700, style: 'normal' },
  ];
  const svg = await satori(layout(card) as Parameters<typeof satori>[0], { ...ogSize, fonts });
  return sharp(Buffer.from(svg)).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}

const workerRole = 'og-image';
if (!isMainThread && workerData?.role === workerRole) {
  parentPort!.on('message', ({ id, card }: { id: number; card: OgCard }) => {
    draw(card).then(
      (png) => parentPort!.postMessage({ id, png }),
      (error: unknown) => parentPort!.postMessage({ id, error: String(error) }),
    );
  });
}

// Astro bundles this module into the build; the workers load its source, run by Node directly.
const workerFile = join(process.cwd(), 'src', 'lib', 'og-image.ts');
const waiting = new Map<number, { resolve: (png: Buffer) => void; reject: (error: Error) => void }>();
let workers: { worker: Worker; load: number }[] | undefined;
let nextId = 0;

/** Draws in the least busy worker; in this thread when the source is not there to start one. */
function drawInWorker(card: OgCard): Promise<Buffer> {
  if (!existsSync(workerFile)) return draw(card);
  workers ??= Array.from({ length: availableParallelism() }, () => {
    const worker = new Worker(workerFile, { workerData: { role: workerRole } });
    // Kept alive while it draws, never the reason a finished build keeps running.
    worker.unref();
    const entry = { worker, load: 0 };
    worker.on('message', ({ id, png, error }: { id: number; png?: Uint8Array; error?: string }) => {
      if (--entry.load === 0) worker.unref();
      const task = waiting.get(id)!;
      waiting.delete(id);
      if (png) task.resolve(Buffer.from(png));
      else task.reject(new Error(`Open Graph image: ${error}`));
    });
    return entry;
  });
  const entry = workers.reduce((least, candidate) => (candidate.load < least.load ? candidate : least));
  const id = nextId++;
  if (entry.load++ === 0) entry.worker.ref();
  entry.worker.postMessage({ id, card });
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

const drawing = new Map<string, Promise<Buffer>>();

/** The PNG for a card, from the cache when the same card was drawn before. */
export function ogImage(card: OgCard): Promise<Buffer> {
  const cached = ogImageCacheFile(card);
  if (existsSync(cached)) return Promise.resolve(readFileSync(cached));
  // Requests for a card that is being drawn wait for that drawing.
  let png = drawing.get(cached);
  if (!png) {
    png = drawInWorker(card)
      .then((image) => {
        try {
          mkdirSync(cacheDir, { recursive: true });
          writeFileSync(cached, image);
        } catch (error) {
          console.warn(`Open Graph image not cached: ${(error as Error).message}`);
        }
        return image;
      })
      .finally(() => drawing.delete(cached));
    drawing.set(cached, png);
  }
  return png;
}
