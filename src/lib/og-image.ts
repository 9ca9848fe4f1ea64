// Social preview images (1200×630) drawn at build time: satori lays out the text with a font
// from node_modules (no network), sharp turns the SVG into a PNG. Each image is cached by its
// content, so an unchanged part costs nothing on the next build.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import satori from 'satori';
import sharp from 'sharp';

export const ogSize = { width: 1200, height: 630 } as const;

export interface OgCard {
  series?: string;
  /** "Deel 2 van 3" */
  label?: string;
  title: string;
  author?: string;
  site: string;
}

const require = createRequire(join(process.cwd(), 'package.json'));
const font = (weight: 400 | 700) =>
  readFileSync(require.resolve(`@fontsource/source-sans-3/files/source-sans-3-latin-${weight}-normal.woff`));
let fonts: { name: string; data: Buffer; weight: 400 | 700; style: 'normal' }[] | undefined;

type Node = { type: string; props: { style?: Record<string, unknown>; children?: (Node | string)[] | string } };
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
      element({ width: '100%', fontSize: card.title.length > 60 ? 60 : 76, fontWeight: 700, lineHeight: 1.1 }, card.title),
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
  const key = createHash('sha256').update(JSON.stringify(layout(card))).digest('hex').slice(0, 32);
  return join(cacheDir, `${key}.png`);
}

/** The PNG for a card, from the cache when the same card was drawn before. */
export async function ogImage(card: OgCard): Promise<Buffer> {
  const cached = ogImageCacheFile(card);
  if (existsSync(cached)) return readFileSync(cached);

  fonts ??= [
    { name: 'Source Sans 3', data: font(400), weight: 400, style: 'normal' },
    { name: 'Source Sans 3', data: font(700), weight: 700, style: 'normal' },
  ];
  const svg = await satori(layout(card) as Parameters<typeof satori>[0], { ...ogSize, fonts });
  const png = await sharp(Buffer.from(svg)).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, png);
  return png;
}
