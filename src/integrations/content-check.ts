// Runs the content check before Astro reads any content: a production build stops with every
// editor mistake listed; `npm run dev` reports them and keeps running so they can be fixed live.
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import { ConfigError, messageRetentionDays } from '../lib/environment.ts';
import { contentDir, messageForm, publishedAsOf } from '../site.config.ts';
import { formatProblems, validateContent } from '../lib/content-validation.ts';

export function contentCheck(): AstroIntegration {
  return {
    name: 'reeks:content-check',
    hooks: {
      'astro:config:setup': async ({ command, logger }) => {
        try {
          // The privacy page states it: a wrong value must never pass as the default.
          messageRetentionDays(process.env, messageForm.defaultRetentionDays);
        } catch (error) {
          if (error instanceof ConfigError) throw new AstroError(error.message);
          throw error;
        }
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
