import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ogImage, ogImageCacheFile, ogSize } from './og-image.ts';

describe('ogImage', () => {
  it('draws a 1200×630 PNG with the text of the card', async () => {
    const card = {
      series: 'Digitale transformatie',
      label: 'Deel 2 van 3',
      title: 'Kansen voor de dienstverlening',
      author: 'Job Coenen',
      site: 'Reeks',
    };
    const png = await ogImage({ ...card, title: `${card.title} ${Date.now()}` });
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', ogSize.width, ogSize.height]);
    // Text was drawn: the image is far from a blank page.
    const { channels } = await sharp(png).stats();
    expect(channels[0]!.stdev).toBeGreaterThan(10);
  });

  it('keeps each card in a cache keyed by its content', async () => {
    const card = { title: `Zelfde kaart ${Date.now()}`, site: 'Reeks' };
    expect(existsSync(ogImageCacheFile(card))).toBe(false);
    const first = await ogImage(card);
    expect(existsSync(ogImageCacheFile(card))).toBe(true);
    expect((await ogImage(card)).equals(first)).toBe(true);
    expect(ogImageCacheFile({ ...card, title: `${card.title}!` })).not.toBe(ogImageCacheFile(card));
  });

  it('draws a card asked for twice at the same time once', async () => {
    const card = { title: `Gelijktijdig ${Date.now()}`, site: 'Reeks' };
    const [first, second] = [ogImage(card), ogImage(card)];
    expect(second).toBe(first);
    await first;
  });
});
