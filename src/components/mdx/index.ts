// Components editors may use in MDX without importing them, and the headings MDX renders.
// Documented for editors in content/README.md.
import Callout from './Callout.astro';
import Figure from './Figure.astro';
import H2 from './H2.astro';
import H3 from './H3.astro';
import ModelFigure from './ModelFigure.astro';
import PullQuote from './PullQuote.astro';

export const mdxComponents = { Callout, Figure, ModelFigure, PullQuote, h2: H2, h3: H3 };
