// Components editors may use in MDX without importing them, and the headings and tables MDX renders.
// Documented for editors in content/README.md.
import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
import Callout from './Callout.astro';
import type { MdxComponentName } from './component-names.ts';
import Figure from './Figure.astro';
import H2 from './H2.astro';
import H3 from './H3.astro';
import ModelFigure from './ModelFigure.astro';
import PullQuote from './PullQuote.astro';
import Table from './Table.astro';

// Exactly the names the content check accepts (component-names.ts).
const components: Record<MdxComponentName, AstroComponentFactory> = {
  Callout,
  Figure,
  ModelFigure,
  PullQuote,
};

export const mdxComponents = { ...components, h2: H2, h3: H3, table: Table };
