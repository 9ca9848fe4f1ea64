// Builds the site the end-to-end tests run against: the real content plus a draft, a scheduled
// post and a standalone post from e2e/fixtures/test-additions, into dist-test/ so that dist/
// (what `npm start` serves) is left alone. The same content folder stays behind for the dev
// server that the tests of drafts in `npm run dev` use.
import { cpSync, rmSync } from 'node:fs';
import { buildSite } from './fixtures/build.ts';
import { e2eContentDir, fixturesDir } from './fixtures/content-tree.ts';

rmSync(e2eContentDir, { recursive: true, force: true });
for (const source of ['content', `${fixturesDir}/test-additions`])
  cpSync(source, e2eContentDir, { recursive: true });
const { status } = buildSite(e2eContentDir, 'dist-test', 'inherit');
process.exit(status ?? 1);
