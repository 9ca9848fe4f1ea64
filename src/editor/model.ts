// What the browser editor needs to know about the content model, as plain data: the rules of
// each field, derived from the schemas of src/content.config.ts (so the editor's form and the
// content check cannot drift apart), and the series on disk with their next free part number.
// Computed in Node by the dev server (src/integrations/editor.ts) and handed to the editor, which
// runs in the browser and cannot import the schemas.
import type { SchemaContext } from 'astro/content/config';
import { z } from 'astro/zod';
import { authorSchema, postSchema, seriesSchema, serviceSchema } from '../content.config.ts';
import { idsIn, partsOf, readData, readPosts } from '../lib/content-files.ts';
import { nextPartNumber } from '../lib/new-part.ts';
import { paths } from '../site.config.ts';

export interface FieldRule {
  required: boolean;
  /** A format the text must have, with the schema's own message (e.g. "is geen telefoonnummer. …"). */
  pattern?: { source: string; message: string };
  /** Lowest number, or fewest items in a list. */
  min?: number;
  /** The value a missing key stands for. */
  default?: unknown;
}

/** Rules per field, in the order of the schema: the order the editor writes the keys in. */
export type FieldRules<Schema extends z.ZodObject = z.ZodObject> = Record<
  keyof Schema['shape'] & string,
  FieldRule
>;

/** A page of the site, with `{slug}` where the file name goes. */
type PreviewUrl = string;

export interface SeriesSummary {
  id: string;
  title: string;
  /** One past the highest part number in use, drafts included. */
  nextPart: number;
  /** A new part's author and services, as in the latest part (like `npm run new`). */
  author?: string;
  services?: string[];
  previewUrl: PreviewUrl;
}

const plannedPartSchema = seriesSchema.shape.plannedParts.unwrap().element;

export interface EditorModel {
  fields: {
    authors: FieldRules<ReturnType<typeof authorSchema>>;
    services: FieldRules<typeof serviceSchema>;
    series: FieldRules<typeof seriesSchema>;
    plannedParts: FieldRules<typeof plannedPartSchema>;
    posts: FieldRules<typeof postSchema>;
  };
  /** File names follow the rule of ids: an id is the file name of an author, service or series. */
  fileName: NonNullable<FieldRule['pattern']>;
  series: SeriesSummary[];
  previewUrls: { standalone: PreviewUrl; series: PreviewUrl; author: PreviewUrl; service: PreviewUrl };
}

/** A value no format accepts, to make a schema show the message of its format check. */
const badFormat = '\u0000';

function ruleOf(schema: z.ZodType): FieldRule {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const rule: FieldRule = { required: !schema.safeParse(undefined).success };
  if (typeof json.pattern === 'string') {
    const issue = schema.safeParse(badFormat).error?.issues.find((issue) => issue.code === 'invalid_format');
    if (issue) rule.pattern = { source: json.pattern, message: issue.message };
  }
  const min =
    json.minItems ??
    json.minimum ??
    (typeof json.exclusiveMinimum === 'number' && json.type === 'integer'
      ? json.exclusiveMinimum + 1
      : undefined);
  if (min !== undefined) rule.min = min;
  if (json.default !== undefined) rule.default = json.default;
  return rule;
}

/** The rules of every field of an object schema. */
export function fieldRules<Schema extends z.ZodObject>(schema: Schema): FieldRules<Schema> {
  return Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, ruleOf(field as z.ZodType)]),
  ) as FieldRules<Schema>;
}

/** Outside a build there is no image pipeline; a photo is a file name as far as the form is concerned. */
const photoFile = (() => z.string()) as unknown as SchemaContext['image'];

export function editorModel(contentDir: string): EditorModel {
  const posts = readPosts(contentDir);
  const postRules = fieldRules(postSchema);
  return {
    fields: {
      authors: fieldRules(authorSchema({ image: photoFile })),
      services: fieldRules(serviceSchema),
      series: fieldRules(seriesSchema),
      plannedParts: fieldRules(plannedPartSchema),
      posts: postRules,
    },
    fileName: postRules.author.pattern!,
    series: idsIn(contentDir, 'series').map((id) => {
      const { title } = readData(contentDir, 'series', id);
      const parts = partsOf(posts, id);
      const latest = parts.at(-1);
      return {
        id,
        title: typeof title === 'string' && title.trim() ? title : id,
        nextPart: nextPartNumber(parts.map((post) => post.part)),
        ...(typeof latest?.author === 'string' && { author: latest.author }),
        ...(Array.isArray(latest?.services) && { services: latest.services }),
        previewUrl: paths.part(id, '{slug}'),
      };
    }),
    previewUrls: {
      standalone: paths.standalone('{slug}'),
      series: paths.series('{slug}'),
      author: paths.author('{slug}'),
      service: paths.service('{slug}'),
    },
  };
}
