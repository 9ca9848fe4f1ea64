// Runs the content check before Astro reads any content: a production build stops with every
// editor mistake listed; `npm run dev` reports them and keeps running so they can be fixed live.
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { buildEnvironmentProblems, contentDir, publishedAsOf } from '../site.config.ts';
import { formatProblems, validateContent } from '../lib/content-validation.ts';

export function contentCheck(): AstroIntegration {
  return {
    name: 'reeks:content-check',
    hooks: {
      'astro:config:setup': async ({ command, logger }) => {
        // A wrong variable must never pass as its default (the privacy page states the retention).
        if (buildEnvironmentProblems.length > 0) throw new AstroError(buildEnvironmentProblems.join('\n'));
        const problems = await validateContent(contentDir, { now: publishedAsOf });
        if (problems.length === 0) return;
        const report = `De inhoud bevat ${problems.length} ${problems.length === 1 ? 'fout' : 'fouten'}:\n${formatProblems(problems)}`;
        if (command === 'build') {
          throw new AstroError(report, 'Herstel de fouten hierboven en bouw opnieuw.');
        }
        logger.error(report);
      },
    },
  };
}
