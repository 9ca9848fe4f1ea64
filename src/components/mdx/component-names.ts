/** The components editors may use in MDX (index.ts maps each to its .astro file). */
export const mdxComponentNames = ['Callout', 'Figure', 'ModelFigure', 'PullQuote'] as const;

export type MdxComponentName = (typeof mdxComponentNames)[number];
