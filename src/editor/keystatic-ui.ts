// Keystatic's editor as a React component, for src/editor/keystatic-page.astro.
import { makePage } from '@keystatic/astro/ui';
import config from '../../keystatic.config.ts';

export const Keystatic = makePage(config);
