// Builds the site the end-to-end tests run against: the real content plus a draft, a scheduled
// post and a standalone post from e2e/fixtures/test-additions, into dist-test/ so that dist/
// (what `npm start` serves) is left alone.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { contentTree, fixturesDir } from './fixtures/content-tree.ts';

export const testOutDir = 'dist-test';

const contentDir = contentTree('content', `${fixturesDir}/test-additions`);
// --force clears Astro's content layer cache: it still lists the files of the previous
// temporary content tree, deleted by then, and the build would fail to find them.
const result = spawnSync(
  process.execPath,
  ['node_modules/astro/bin/astro.mjs', 'build', '--force', '--outDir', testOutDir],
  { env: { ...process.env, CONTENT_DIR: contentDir, ASTRO_TELEMETRY_DISABLED: '1' }, stdio: 'inherit' },
);
rmSync(contentDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
