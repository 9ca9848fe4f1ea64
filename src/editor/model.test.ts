import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'astro/zod';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';
import { editorModel, fieldRules } from './model.ts';

describe('editorModel', () => {
  const model = editorModel(fixtureContent());

  it('takes required fields, formats and minimums from the schemas, with their messages', () => {
    expect(model.fields.posts.title).toEqual({ required: true });
    expect(model.fields.posts.updated.required).toBe(false);
    expect(model.fields.posts.services).toEqual({ required: true, min: 1 });
    expect(model.fields.posts.part).toEqual({ required: false, min: 1 });
    expect(model.fields.posts.draft).toEqual({ required: false, default: false });
    expect(model.fields.authors.phone).toEqual({
      required: false,
      pattern: {
        source: '^\\+?[0-9 ()-]{6,20}$',
        message: expect.stringContaining('is geen telefoonnummer'),
      },
    });
    expect(model.fields.authors.email.pattern?.message).toContain('is geen geldig e-mailadres');
    expect(model.fields.plannedParts.part).toEqual({ required: true, min: 1 });
    expect(model.fields.plannedParts.expected).toEqual({
      required: false,
      pattern: {
        source: '^\\d{4}-(0[1-9]|1[0-2])$',
        message: expect.stringContaining('is geen maand in de vorm JJJJ-MM'),
      },
    });
    expect(new RegExp(model.fileName.source).test('data-als-grondstof')).toBe(true);
    expect(new RegExp(model.fileName.source).test('Data als grondstof')).toBe(false);
  });

  it("lists every field of a schema in the schema's order", () => {
    expect(Object.keys(model.fields.posts)).toEqual([
      'title',
      'description',
      'date',
      'updated',
      'author',
      'services',
      'series',
      'part',
      'draft',
    ]);
    expect(Object.keys(fieldRules(z.strictObject({ b: z.string(), a: z.number().optional() })))).toEqual([
      'b',
      'a',
    ]);
  });

  it('offers each series with the number after its highest part, drafts included, and its latest author and services', () => {
    expect(model.series).toEqual([
      {
        id: 'testreeks',
        title: 'Testreeks',
        nextPart: 3,
        author: 'anna-de-vries',
        services: ['testdienst'],
        previewUrl: '/testreeks/{slug}/',
      },
    ]);
    const dir = fixtureContent();
    writeFileSync(
      join(dir, 'posts/testreeks/concept.mdx'),
      '---\ntitle: Concept\ndescription: x\ndate: 2021-03-01\nauthor: anna-de-vries\nservices:\n  - testdienst\nseries: testreeks\npart: 7\ndraft: true\n---\n',
    );
    expect(editorModel(dir).series[0]!.nextPart).toBe(8);
  });
});
