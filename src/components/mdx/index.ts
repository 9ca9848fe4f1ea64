// Components editors may use in MDX without importing them.
import ModelFigure from './ModelFigure.astro';

export const mdxComponents = { ModelFigure };
