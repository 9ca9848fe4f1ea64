import { describe, expect, it } from 'vitest';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';
import { keystaticConfig } from './keystatic.ts';
import { editorModel, type EditorModel } from './model.ts';

describe('keystaticConfig', () => {
  const model = editorModel(fixtureContent());
  const { collections } = keystaticConfig(model);
  // One collection per series: not among the names TypeScript knows.
  const parts = (collections as unknown as Record<string, typeof collections.posts>)['parts-testreeks']!;

  it('has a collection per data folder, one per series for its parts, and one for standalone posts', () => {
    expect(
      Object.fromEntries(Object.entries(collections).map(([name, collection]) => [name, collection.path])),
    ).toEqual({
      'parts-testreeks': 'posts/testreeks/*',
      posts: 'posts/*',
      series: 'series/*',
      authors: 'authors/*',
      services: 'services/*',
    });
  });

  it('writes the frontmatter keys in the order of the schema, with the text last', () => {
    expect(Object.keys(parts.schema)).toEqual([...Object.keys(model.fields.posts), 'content']);
  });

  it('starts a new part with the next number, the series, its author and services, as a draft', () => {
    const { schema } = parts;
    expect(schema.part!.defaultValue()).toBe(3);
    expect(schema.series!.defaultValue()).toBe('testreeks');
    expect(schema.author!.defaultValue()).toBe('anna-de-vries');
    expect(schema.services!.defaultValue()).toEqual(['testdienst']);
    expect(schema.draft!.defaultValue()).toBe(true);
  });

  it("previews a post on its own page in dev, and through the report's preview links on the live site", () => {
    expect(parts.previewUrl).toBe('/testreeks/{slug}/');
    const github = keystaticConfig(model, {
      kind: 'github',
      repo: { owner: 'reeks', name: 'site' },
      pathPrefix: 'content',
    }).collections as unknown as Record<string, typeof collections.posts>;
    expect(github['parts-testreeks']!.previewUrl).toBe('/stats/voorbeelden/?deel={slug}');
    expect(github.posts!.previewUrl).toBe('/stats/voorbeelden/?deel={slug}');
  });

  it('reads a file without draft as published, as the schema does', () => {
    const draft = collections.posts!.schema.draft! as unknown as { parse(value: unknown): unknown };
    expect(draft.parse(undefined)).toBe(false);
  });

  it("lets editors give the month an announced part is expected, in the schema's form", () => {
    const expected = collections.series.schema.plannedParts.element.fields.expected as unknown as {
      label: string;
      validate(value: string): unknown;
    };
    expect(expected.label).toBe('Verwacht in');
    expect(() => expected.validate('2027-03')).not.toThrow();
    expect(() => expected.validate('')).not.toThrow();
    expect(() => expected.validate('maart 2027')).toThrow(/Verwacht in is geen maand in de vorm JJJJ-MM/);
  });

  it('refuses a content model with a field the editor does not know, which a save would drop', () => {
    const withExtraField: EditorModel = {
      ...model,
      fields: {
        ...model.fields,
        posts: { ...model.fields.posts, summary: { required: false } } as EditorModel['fields']['posts'],
      },
    };
    expect(() => keystaticConfig(withExtraField)).toThrow(
      /"parts-testreeks" has the fields .* but src\/content.config.ts has .*summary/,
    );
  });
});
