// `npm run check`: validates all content without a build, with the rules the build applies.
import { formatProblems, validateContent } from '../src/lib/content-validation.ts';
import { contentDir, publishedAsOf } from '../src/site.config.ts';

const started = performance.now();
const problems = await validateContent(contentDir, { now: publishedAsOf });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (problems.length === 0) {
  console.log(`Inhoud in orde (${seconds} s).`);
} else {
  console.error(formatProblems(problems));
  console.error(`\n${problems.length} ${problems.length === 1 ? 'fout' : 'fouten'} gevonden (${seconds} s).`);
  process.exitCode = 1;
}
