import { describe, expect, it } from 'vitest';
import { engagedBucket, maxEngagedWindows } from './reading-depth.ts';

describe('engagedBucket', () => {
  it.each([
    [0, 'under-10s'],
    [1, 'under-10s'],
    [2, '10-30s'],
    [5, '10-30s'],
    [6, '30s-1m'],
    [11, '30s-1m'],
    [12, '1-3m'],
    [35, '1-3m'],
    [36, '3-10m'],
    [119, '3-10m'],
    [120, 'over-10m'],
    [maxEngagedWindows, 'over-10m'],
  ])('puts %i windows of 5 seconds in %s', (windows, bucket) => {
    expect(engagedBucket(windows)).toBe(bucket);
  });

  it('allows a day of windows at most', () => {
    expect(maxEngagedWindows).toBe(17280);
  });
});
