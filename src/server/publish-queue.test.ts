import { describe, expect, it } from 'vitest';
import { createPublishQueue } from './publish-queue.ts';

const later = (ms: number) => new Promise((resolveLater) => setTimeout(resolveLater, ms));

describe('the publish queue', () => {
  it('runs one publish at a time and folds the pushes during one into a single follow-up', async () => {
    const runs: number[] = [];
    let active = 0;
    let mostAtOnce = 0;
    const queue = createPublishQueue(async (pushes) => {
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      runs.push(pushes);
      await later(50);
      active--;
    });
    for (let n = 0; n < 10; n++) {
      queue.request();
      await later(3);
    }
    await queue.idle();
    expect(runs).toEqual([1, 9]);
    expect(mostAtOnce).toBe(1);
  });

  it('goes on after a publish that throws, and publishes again for a later push', async () => {
    const runs: number[] = [];
    const queue = createPublishQueue(async (pushes) => {
      runs.push(pushes);
      if (runs.length === 1) throw new Error('kapot');
    });
    queue.request();
    await queue.idle();
    queue.request();
    await queue.idle();
    expect(runs).toEqual([1, 1]);
  });
});
