/** The kinds of callout editors can choose, each with the label readers see. */
export const calloutTypes = { info: 'Informatie', tip: 'Tip', 'let-op': 'Let op' } as const;

export type CalloutType = keyof typeof calloutTypes;
