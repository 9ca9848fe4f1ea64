// The browser editor's collections (Keystatic), built from the content model in `model.ts`:
// authors, services and series as YAML, and posts as MDX, one collection per series (so a new part
// lands in posts/<series>/ with the next free number) plus one for standalone posts. This module
// runs in the browser too: it gets the model as plain data and imports nothing from Node.
import { collection, config, fields } from '@keystatic/core';
import { block, wrapper } from '@keystatic/core/content-components';
import { calloutTypes } from '../components/mdx/callout-types.ts';
import { slugify } from '../lib/new-part.ts';
import type { EditorModel, FieldRule, SeriesSummary } from './model.ts';

/** A text field with the rules of its schema; an optional one may stay empty. */
function text(label: string, rule: FieldRule, options: { multiline?: boolean; description?: string } = {}) {
  return fields.text({
    label,
    ...options,
    validation: {
      isRequired: rule.required,
      pattern: rule.pattern && {
        regex: new RegExp(rule.required ? rule.pattern.source : `^$|${rule.pattern.source}`),
        // Schema messages continue the field name: "Telefoon is geen telefoonnummer. …"
        message: `${label} ${rule.pattern.message}`,
      },
    },
  });
}

/** A title or name that also names the file, and with it the id and the last part of the URL. */
function titleAndFileName(label: string, rule: FieldRule, model: EditorModel) {
  return fields.slug({
    name: { label, validation: { isRequired: rule.required } },
    slug: {
      label: 'Bestandsnaam',
      description: 'Wordt ook het webadres. Kleine letters, cijfers en streepjes.',
      generate: slugify,
      validation: {
        pattern: {
          regex: new RegExp(model.fileName.source),
          message:
            'De bestandsnaam mag alleen kleine letters, cijfers en streepjes bevatten, zoals data-als-grondstof.',
        },
      },
    },
  });
}

/**
 * Keystatic writes only the fields it knows, in the order it knows them: a field missing here
 * would be dropped from a file on save. So every collection must list exactly the schema's fields,
 * in the schema's order.
 */
function assertMirrors(
  name: string,
  schema: Record<string, unknown>,
  rules: Record<string, FieldRule>,
  extra: string[] = [],
) {
  const fieldsHere = Object.keys(schema)
    .filter((key) => !extra.includes(key))
    .join(', ');
  const fieldsThere = Object.keys(rules).join(', ');
  if (fieldsHere !== fieldsThere) {
    throw new Error(
      `The editor's collection "${name}" has the fields ${fieldsHere}, but src/content.config.ts has ${fieldsThere}. Update src/editor/keystatic.ts.`,
    );
  }
}

/** The MDX components editors may use (src/components/mdx/index.ts), as blocks they can insert. */
const mdxComponents = {
  Figure: wrapper({
    label: 'Figuur',
    description: 'Een afbeelding met onderschrift. Voeg de afbeelding in het kader in, met alt-tekst.',
    schema: { caption: fields.text({ label: 'Onderschrift' }) },
  }),
  Callout: wrapper({
    label: 'Kader',
    description: 'Een opvallende notitie: informatie, tip of let op.',
    schema: {
      type: fields.select({
        label: 'Soort',
        options: Object.entries(calloutTypes).map(([value, label]) => ({ value, label })),
        defaultValue: 'info',
      }),
      title: fields.text({ label: 'Titel' }),
    },
  }),
  PullQuote: wrapper({
    label: 'Citaat',
    description: 'Een zin die je uitlicht, met eventueel de bron.',
    schema: { cite: fields.text({ label: 'Bron' }) },
  }),
  ModelFigure: block({
    label: 'Model gemeente 1.0 → 2.0 → 3.0',
    description: 'Het model als figuur met echte tekst.',
    schema: {
      caption: fields.text({
        label: 'Onderschrift',
        description: 'Leeg laten voor het standaardonderschrift.',
      }),
    },
  }),
};

/**
 * A field that starts with `value` in a new entry. Only the start changes: a file without the key
 * is still read as the field reads it.
 */
function withDefault<Field extends { defaultValue(): unknown }>(
  field: Field,
  value: ReturnType<Field['defaultValue']> | undefined,
): Field {
  return value === undefined ? field : { ...field, defaultValue: () => value };
}

function postCollection(
  model: EditorModel,
  label: string,
  folder: string,
  previewUrl: string,
  series?: SeriesSummary,
) {
  const rules = model.fields.posts;
  const seriesField = fields.relationship({
    label: 'Reeks',
    collection: 'series',
    description: series ? undefined : 'Alleen voor een deel van een reeks; dan ook een deelnummer.',
    validation: { isRequired: rules.series.required || series !== undefined },
  });
  const draftField = fields.checkbox({
    label: 'Concept',
    description: 'Een concept staat niet op de site. Haal het vinkje weg om te publiceren.',
    // A file without `draft` is read as the schema says (published); a new post starts as a draft.
    defaultValue: rules.draft.default === true,
  });
  return collection({
    label,
    path: `${folder}/*`,
    slugField: 'title',
    format: { contentField: 'content' },
    entryLayout: 'content',
    columns: series ? ['title', 'part', 'date', 'draft'] : ['title', 'date', 'draft'],
    previewUrl,
    schema: {
      title: titleAndFileName('Titel', rules.title, model),
      description: text('Beschrijving', rules.description, {
        multiline: true,
        description: 'Eén of twee zinnen; staat in overzichten en in zoekmachines.',
      }),
      date: fields.date({
        label: 'Datum',
        description: 'Publicatiedatum. Een datum in de toekomst verschijnt pas op die dag.',
        defaultValue: { kind: 'today' },
        validation: { isRequired: rules.date.required },
      }),
      updated: fields.date({
        label: 'Bijgewerkt op',
        description: 'Alleen bij een inhoudelijke bijwerking; niet vóór de publicatiedatum.',
        validation: { isRequired: rules.updated.required },
      }),
      author: withDefault(
        fields.relationship({
          label: 'Auteur',
          collection: 'authors',
          validation: { isRequired: rules.author.required },
        }),
        series?.author,
      ),
      services: withDefault(
        fields.multiRelationship({
          label: 'Diensten',
          collection: 'services',
          validation: { length: { min: rules.services.min } },
        }),
        series?.services,
      ),
      series: withDefault(seriesField, series?.id),
      part: fields.integer({
        label: 'Deel',
        description: series ? `Het volgende vrije nummer is ${series.nextPart}.` : undefined,
        defaultValue: series?.nextPart,
        validation: { isRequired: rules.part.required || series !== undefined, min: rules.part.min },
      }),
      draft: withDefault(draftField, true),
      content: fields.mdx({
        label: 'Tekst',
        options: {
          // The title is the page's only h1; sections are h2 and h3.
          heading: [2, 3],
          // Keystatic keeps a post's images in a folder named after the post, next to it:
          // posts/<series>/<slug>/photo.jpg, written as ![alt](./<slug>/photo.jpg).
          image: {
            directory: folder,
            publicPath: './',
            schema: {
              alt: fields.text({
                label: 'Alt-tekst',
                description: 'Beschrijf wat er te zien is, voor wie de afbeelding niet kan zien.',
                validation: { isRequired: true },
              }),
            },
          },
        },
        components: mdxComponents,
      }),
    },
  });
}

/** Where saves go: the content folder (dev), or the repository on GitHub (a build with the settings). */
export type EditorStorage =
  { kind: 'local' } | { kind: 'github'; repo: { owner: string; name: string }; pathPrefix: string };

/**
 * On the live site (GitHub mode) a post's preview button leads to "Voorbeeld delen" in the report
 * area, at the post's own preview link (docs/previews.md): its page shows a saved change once the
 * site is built again, and a draft only through a signed link. In dev the page itself shows it.
 */
export const previewListUrl = '/stats/voorbeelden/?deel={slug}';

export function keystaticConfig(model: EditorModel, storage: EditorStorage = { kind: 'local' }) {
  const { authors, services, series, plannedParts } = model.fields;
  const postPreview = (devUrl: string) => (storage.kind === 'github' ? previewListUrl : devUrl);
  const partCollections = Object.fromEntries(
    model.series.map((summary) => [
      `parts-${summary.id}`,
      postCollection(
        model,
        `Delen: ${summary.title}`,
        `posts/${summary.id}`,
        postPreview(summary.previewUrl),
        summary,
      ),
    ]),
  );

  const editorConfig = config({
    storage,
    locale: 'nl-NL',
    ui: {
      brand: { name: 'Reeks' },
      navigation: {
        Artikelen: [...Object.keys(partCollections), 'posts'],
        Gegevens: ['series', 'authors', 'services'],
      },
    },
    collections: {
      ...partCollections,
      posts: postCollection(model, 'Losse artikelen', 'posts', postPreview(model.previewUrls.standalone)),
      series: collection({
        label: 'Reeksen',
        path: 'series/*',
        slugField: 'title',
        previewUrl: model.previewUrls.series,
        schema: {
          title: titleAndFileName('Titel', series.title, model),
          description: text('Beschrijving', series.description, { multiline: true }),
          topic: text('Onderwerp', series.topic, {
            description: 'Zoals het midden in een zin staat: "Meer weten over <onderwerp>?". Leeg: de titel.',
          }),
          contactHeading: text('Eigen vraag boven het contactblok', series.contactHeading, {
            description:
              'Vervangt "Meer weten over …? Stel je vraag aan …." onder elk deel. Noem geen naam als er meer auteurs zijn.',
          }),
          plannedParts: fields.array(
            fields.object({
              part: fields.integer({
                label: 'Deel',
                validation: { isRequired: plannedParts.part.required, min: plannedParts.part.min },
              }),
              title: text('Titel', plannedParts.title),
              expected: text('Verwacht in', plannedParts.expected, {
                description: 'De maand als JJJJ-MM, bijvoorbeeld 2027-03. Leeg: de site zegt "binnenkort".',
              }),
            }),
            {
              label: 'Aangekondigde delen',
              description:
                'Delen die nog niet verschenen zijn; de site toont ze met de verwachte maand, of als "binnenkort".',
              itemLabel: (props) => `Deel ${props.fields.part.value ?? '?'}: ${props.fields.title.value}`,
            },
          ),
        },
      }),
      authors: collection({
        label: 'Auteurs',
        path: 'authors/*',
        slugField: 'name',
        previewUrl: model.previewUrls.author,
        schema: {
          name: titleAndFileName('Naam', authors.name, model),
          role: text('Functie', authors.role),
          bio: text('Over de auteur', authors.bio, { multiline: true, description: 'Eén of twee zinnen.' }),
          email: text('E-mailadres', authors.email),
          phone: text('Telefoon', authors.phone),
          linkedin: fields.url({
            label: 'LinkedIn',
            description: 'Begint met https://.',
            validation: { isRequired: authors.linkedin.required },
          }),
          photo: fields.image({
            label: 'Foto',
            description: 'Zonder foto toont de site de initialen.',
            directory: 'authors',
            publicPath: './',
            validation: { isRequired: authors.photo.required },
          }),
          contactHeading: text('Eigen vraag boven het contactblok', authors.contactHeading, {
            description: 'Vervangt "Meer weten over …? Stel je vraag aan …." op de auteurspagina.',
          }),
        },
      }),
      services: collection({
        label: 'Diensten',
        path: 'services/*',
        slugField: 'name',
        previewUrl: model.previewUrls.service,
        schema: {
          name: titleAndFileName('Naam', services.name, model),
          description: text('Beschrijving', services.description, { multiline: true }),
        },
      }),
    },
  });

  const {
    series: seriesCollection,
    authors: authorCollection,
    services: serviceCollection,
    ...postCollections
  } = editorConfig.collections;
  assertMirrors('series', seriesCollection.schema, series);
  assertMirrors('series: plannedParts', seriesCollection.schema.plannedParts.element.fields, plannedParts);
  assertMirrors('authors', authorCollection.schema, authors);
  assertMirrors('services', serviceCollection.schema, services);
  for (const [name, { schema }] of Object.entries(postCollections))
    assertMirrors(name, schema, model.fields.posts, ['content']);
  return editorConfig;
}
