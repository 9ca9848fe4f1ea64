// Builds the site the end-to-end tests run against: the real content plus a draft, a scheduled
// post and a standalone post from e2e/fixtures/test-additions, into dist-test/ so that dist/
// (what `npm start` serves) is left alone.
import { rmSync } from 'node:fs';
import { buildSite } from './fixtures/build.ts';
import { contentTree, fixturesDir } from './fixtures/content-tree.ts';

const contentDir = contentTree('content', `${fixturesDir}/test-additions`);
const { status } = buildSite(contentDir, 'dist-test', 'inherit');
rmSync(contentDir, { recursive: true, force: true });
process.exit(status ?? 1);
