// The editors' contract: what each content file must contain. Documented for editors in
// content/README.md. Only plain `astro/*` imports, so `src/lib/content-validation.ts` (run before
// every build) can apply the same schemas outside Astro.
import { defineCollection, type SchemaContext } from 'astro/content/config';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { contentDir } from './site.config.ts';

/** A required piece of text, with a message an editor can act on. */
const text = () =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined || issue.input === null
          ? 'ontbreekt. Vul dit veld in.'
          : 'moet tekst zijn. Zet de waarde tussen aanhalingstekens.',
    })
    .trim()
    .min(1, { error: 'is leeg. Vul dit veld in.' });

/**
 * Ids of authors, services and series are file names, and so is a post's slug: lowercase words
 * joined by hyphens. The content check applies it to file names (src/lib/content-validation.ts).
 */
export const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const id = () =>
  text().regex(idPattern, {
    error: 'is geen geldige id. Gebruik de bestandsnaam zonder .yaml, bijvoorbeeld job-coenen.',
  });

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * A date written as YYYY-MM-DD. Astro's YAML parser turns such values into Date objects and
 * silently rolls over impossible dates, so both forms are checked here.
 */
const isoDate = () =>
  z
    .preprocess(
      (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
      z
        .string({
          error: (issue) =>
            issue.input === undefined || issue.input === null
              ? 'ontbreekt. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2020-04-21.'
              : 'is geen datum. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2020-04-21.',
        })
        .regex(/^\d{4}-\d{2}-\d{2}$/, {
          error: 'is geen datum in de vorm JJJJ-MM-DD. Schrijf bijvoorbeeld 2020-04-21.',
          abort: true,
        })
        .refine(isCalendarDate, {
          error: 'bestaat niet in de kalender. Controleer maand (01-12) en dag.',
        }),
    )
    .transform((value) => new Date(`${value}T00:00:00Z`));

/**
 * A month written as YYYY-MM, such as when an announced part is expected. YAML reads 2027-03 as
 * text, but 2027-03-01 as a date: that gets its own message.
 */
const month = () =>
  z
    .string({
      error: (issue) =>
        issue.input instanceof Date
          ? 'is een datum, geen maand. Schrijf alleen jaar en maand als JJJJ-MM, bijvoorbeeld 2027-03.'
          : 'is geen maand. Schrijf jaar en maand als JJJJ-MM, bijvoorbeeld 2027-03.',
    })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, {
      error: 'is geen maand in de vorm JJJJ-MM. Schrijf bijvoorbeeld 2027-03 voor maart 2027.',
    });

/** An object that rejects misspelt keys instead of silently ignoring them. */
const fields = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `onbekend veld: ${issue.keys.join(', ')}. Controleer de spelling of verwijder het veld.`
        : undefined,
  });

export const authorSchema = ({ image }: SchemaContext) =>
  fields({
    name: text(),
    role: text(),
    bio: text(),
    email: z.email({ error: 'is geen geldig e-mailadres. Schrijf bijvoorbeeld naam@example.com.' }),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{6,20}$/, {
        error: 'is geen telefoonnummer. Schrijf alleen cijfers, spaties en eventueel een +.',
      })
      .optional(),
    linkedin: z.url({ protocol: /^https$/, error: 'is geen webadres. Begin met https://.' }).optional(),
    photo: image().optional(),
    /** Replaces the question above the contact block on the author's page. */
    contactHeading: text().optional(),
  });

export const serviceSchema = fields({
  name: text(),
  description: text(),
});

export const seriesSchema = fields({
  title: text(),
  description: text(),
  /** Completes "Meer weten over …?" in the contact block under each part; default: the title. */
  topic: text().optional(),
  /** Replaces the whole question above the contact block under each part. */
  contactHeading: text().optional(),
  /** Parts announced but not yet published; listed as "binnenkort", or with the month expected. */
  plannedParts: z
    .array(
      fields({
        part: z.number().int().positive(),
        title: text(),
        /** The month the part is expected, YYYY-MM. */
        expected: month().optional(),
      }),
    )
    .optional(),
});

export const postSchema = fields({
  title: text(),
  description: text(),
  date: isoDate(),
  updated: isoDate().optional(),
  author: id(),
  services: z
    .array(id(), { error: 'moet een lijst zijn. Zet elke dienst op een eigen regel met "- ".' })
    .min(1, { error: 'is leeg. Noem minstens één dienst.' }),
  series: id().optional(),
  part: z
    .number({ error: 'moet een heel getal zijn, zoals 1, 2 of 3.' })
    .int({ error: 'moet een heel getal zijn, zoals 1, 2 of 3.' })
    .positive({ error: 'moet 1 of hoger zijn.' })
    .optional(),
  draft: z.boolean({ error: 'moet true of false zijn.' }).default(false),
}).superRefine((post, context) => {
  if (post.series && post.part === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['part'],
      message: 'ontbreekt. Een deel van een reeks heeft een nummer: part: 1, 2, ...',
    });
  }
  if (!post.series && post.part !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['part'],
      message: 'hoort bij een reeks, maar series ontbreekt. Vul series in of verwijder part.',
    });
  }
});

/** The status of digitoegankelijk.nl's model: A fully compliant … E not compliant. */
export const accessibilityStatuses = {
  A: 'voldoet volledig',
  B: 'voldoet gedeeltelijk',
  C: 'eerste maatregelen genomen',
  D: 'maatregelen gepland',
  E: 'voldoet niet',
} as const;

/**
 * The accessibility statement (/toegankelijkheid/), in the model of digitoegankelijk.nl. Status A
 * and B both rest on a full audit per WCAG-EM: without one, the schema refuses them.
 */
export const accessibilitySchema = fields({
  /** Who is responsible for the site. */
  organisation: text(),
  /** Which site, and which parts of it, the statement covers. */
  scope: text(),
  status: z.enum(Object.keys(accessibilityStatuses) as [keyof typeof accessibilityStatuses], {
    error: 'moet A, B, C, D of E zijn, zoals op digitoegankelijk.nl.',
  }),
  /** A full audit per WCAG-EM: who did it, when, and where its report is. */
  audit: fields({ by: text(), date: isoDate(), report: z.url({ error: 'is geen webadres.' }) }).optional(),
  /** What has been done and is planned, first the audit. */
  measures: z.array(text()).min(1, { error: 'is leeg. Noem minstens één maatregel.' }),
  /** What was tested, and how. */
  tested: z.array(text()).min(1, { error: 'is leeg. Noem wat er getest is.' }),
  /** What no automatic test covers and remains to be tested by hand. */
  toTestByHand: z.array(text()).min(1, { error: 'is leeg. Noem wat nog met de hand getest moet worden.' }),
  /** Known shortfalls, each with its cause, effect, alternative and planned measure. */
  shortfalls: z
    .array(fields({ title: text(), cause: text(), effect: text(), alternative: text(), measure: text() }))
    .default([]),
  /** The day the statement was drawn up or last brought up to date. */
  date: isoDate(),
  /** How to report a problem. */
  contact: fields({
    email: z.email({ error: 'is geen geldig e-mailadres. Schrijf bijvoorbeeld naam@example.com.' }),
    /** Working days within which a report is answered. */
    answerWithinDays: z
      .number({ error: 'moet een heel getal zijn, zoals 5.' })
      .int({ error: 'moet een heel getal zijn, zoals 5.' })
      .positive({ error: 'moet 1 of hoger zijn.' }),
  }),
}).superRefine((statement, context) => {
  if ((statement.status === 'A' || statement.status === 'B') && !statement.audit) {
    context.addIssue({
      code: 'custom',
      path: ['status'],
      message:
        'A en B vragen een volledig onderzoek volgens WCAG-EM. Vul audit in (by, date, report), of kies C zolang dat onderzoek er niet is.',
    });
  }
});

/** The one file of the accessibility statement, at the top of the content folder. */
export const accessibilityFile = 'toegankelijkheid.yaml';

const yamlFiles = (folder: string) => glob({ pattern: '*.{yaml,yml}', base: `${contentDir}/${folder}` });

export const collections = {
  authors: defineCollection({ loader: yamlFiles('authors'), schema: authorSchema }),
  services: defineCollection({ loader: yamlFiles('services'), schema: serviceSchema }),
  series: defineCollection({ loader: yamlFiles('series'), schema: seriesSchema }),
  accessibility: defineCollection({
    loader: glob({ pattern: accessibilityFile, base: contentDir }),
    schema: accessibilitySchema,
  }),
  posts: defineCollection({
    loader: glob({
      pattern: '**/*.mdx',
      base: `${contentDir}/posts`,
      // The id is the path without extension; its last segment is the slug in the URL.
      generateId: ({ entry }) => entry.replace(/\.mdx$/, ''),
    }),
    schema: postSchema,
  }),
};
