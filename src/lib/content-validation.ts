// Checks the whole content folder before a build and reports every mistake at once, each with
// file, line, field and what to do. It applies the schemas of src/content.config.ts and adds the
// rules a schema cannot see: references between files, the numbering of series, MDX syntax
// (with the compiler Astro's MDX integration uses) and images without alt text.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { mdxToJs } from 'satteri';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { SchemaContext } from 'astro/content/config';
import { z } from 'astro/zod';
import {
  accessibilityFile,
  accessibilitySchema,
  authorSchema,
  idPattern,
  postSchema,
  seriesSchema,
  serviceSchema,
} from '../content.config.ts';
import { mdxComponentNames } from '../components/mdx/component-names.ts';
import { paths, reservedSegments, site } from '../site.config.ts';
import { frontmatterOf } from './content-files.ts';
import { isPublished } from './publishing.ts';
import { seriesIntegrityProblems } from './series.ts';

export interface ContentProblem {
  /** Path relative to the working directory, as an editor would open it. */
  file: string;
  line: number;
  field: string;
  message: string;
}

type Path = readonly PropertyKey[];

interface YamlSource {
  file: string;
  data: unknown;
  /** Line of the key at `path`, or of the nearest enclosing key that exists. */
  lineOf: (path: Path) => number;
}

/** A path as an editor would type it: relative to the working directory when inside it. */
export function editorPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') ? path : fromHere;
}

function parseYaml(file: string, text: string, firstLine: number, problems: ContentProblem[]) {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const lineAt = (offset: number) => counter.linePos(offset).line + firstLine - 1;
  for (const error of doc.errors) {
    problems.push({
      file,
      line: lineAt(error.pos[0]),
      field: '(opmaak)',
      message: `de YAML is niet leesbaar: ${error.message.split('\n')[0]} Controleer inspringing, dubbele punten en aanhalingstekens.`,
    });
  }
  if (doc.errors.length > 0) return undefined;
  return {
    file,
    data: doc.toJS() ?? {},
    lineOf: (path: Path) => lineAt(keyOffset(doc, path)),
  } satisfies YamlSource;
}

function keyOffset(doc: Document, path: Path): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair || !isScalar(pair.key)) break;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item || typeof item !== 'object' || !('range' in item)) break;
      offset = (item.range as [number])[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function schemaProblems<T extends z.ZodType>(
  source: YamlSource,
  schema: T,
  problems: ContentProblem[],
): z.output<T> | undefined {
  const result = schema.safeParse(source.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    problems.push({
      file: source.file,
      line: source.lineOf(path),
      field: path.map(String).join('.') || '(bestand)',
      message: issue.message,
    });
  }
  return undefined;
}

function filesIn(folder: string, extension: RegExp, recursive = false): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive, withFileTypes: false, encoding: 'utf8' })
    .filter((name) => extension.test(name))
    .map((name) => join(folder, name))
    .sort();
}

/** The Astro image helper is not available outside a build: check that the file exists instead. */
const photoPath = (() =>
  z.string({
    error: 'moet een bestandsnaam zijn, zoals job-coenen.jpg.',
  })) as unknown as SchemaContext['image'];

/**
 * What an editor could use to run code in readers' browsers (or at build time). Components are
 * reviewed code and may include scripts; the text of a post may not.
 */
const unsafeMarkup: [RegExp, string][] = [
  [/^(import|export)\s/, 'import en export zijn niet toegestaan: bouwstenen werken zonder import.'],
  [/<\s*(script|iframe|object|embed|style|form|base|meta|link)\b/i, 'deze HTML-tag is niet toegestaan.'],
  [/<[^>]*\son[a-z]+\s*=/i, 'een on...-attribuut (zoals onclick) is niet toegestaan.'],
  [/javascript:/i, 'een javascript:-link is niet toegestaan.'],
  [
    /dangerouslySetInnerHTML|set:html/,
    'HTML invoegen met set:html of dangerouslySetInnerHTML is niet toegestaan.',
  ],
];

/**
 * Problems in the body of an MDX file: syntax the compiler rejects, markup that could run code,
 * Markdown images without alt text, and images that are not in the post's own folder. That folder
 * (posts/<series>/<slug>/ next to <slug>.mdx) is where the browser editor keeps a post's images;
 * an image elsewhere it cannot show, and it would save it as plain text.
 */
function bodyProblems(path: string, file: string, source: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const slug = basename(path, '.mdx');
  try {
    mdxToJs(source, {});
  } catch (error) {
    const [, line = '1', detail = String(error)] =
      /^(\d+):\d+: ([\s\S]*)$/.exec((error as Error).message) ?? [];
    const reason = detail.replace(/\s*\([\w:-]+\)$/, '').replace(/\s*\(\d+:\d+\)/g, '');
    problems.push({
      file,
      line: Number(line),
      field: '(tekst)',
      message: `MDX kan de tekst niet lezen: ${reason}. Sluit elke <Component> af, schrijf geen losse < of { in de tekst, en gebruik {/* ... */} in plaats van <!-- ... -->.`,
    });
  }
  let inCodeBlock = false;
  source.split('\n').forEach((line, index) => {
    // Code samples may show anything; the rest of the text may not run code in the reader's browser.
    if (/^\s*(```|~~~)/.test(line)) inCodeBlock = !inCodeBlock;
    if (inCodeBlock) return;
    const text = line.replace(/`[^`]*`/g, '');
    const unsafe = unsafeMarkup.find(([pattern]) => pattern.test(text));
    if (unsafe) {
      problems.push({
        file,
        line: index + 1,
        field: '(tekst)',
        message: `${unsafe[1]} Alleen de bouwstenen uit de handleiding mogen in de tekst (content/README.md).`,
      });
    }
    for (const [, name = ''] of text.matchAll(/<([A-Z][\w.]*)/g)) {
      if (!(mdxComponentNames as readonly string[]).includes(name)) {
        problems.push({
          file,
          line: index + 1,
          field: '(tekst)',
          message: `de bouwsteen <${name}> bestaat niet. Kies uit ${mdxComponentNames.map((known) => `<${known}>`).join(', ')} (content/README.md), en let op de hoofdletters.`,
        });
      }
    }
    for (const [, alt = '', target = ''] of text.matchAll(/!\[([^\]]*)\]\(\s*<?([^)\s>]+)/g)) {
      if (!alt.trim()) {
        problems.push({
          file,
          line: index + 1,
          field: '(afbeelding)',
          message: `de afbeelding ${target} heeft geen alt-tekst. Beschrijf tussen de [ ] wat er te zien is, voor wie de afbeelding niet kan zien.`,
        });
      }
      if (!target.startsWith(`./${slug}/`)) {
        problems.push({
          file,
          line: index + 1,
          field: '(afbeelding)',
          message: `de afbeelding ${target} staat niet in de map ${slug}/ naast ${basename(path)}. Zet het bestand daar en schrijf ./${slug}/${basename(target)}: zo vindt ook de editor in de browser de afbeelding.`,
        });
      } else if (!existsSync(resolve(dirname(path), decodeURI(target)))) {
        problems.push({
          file,
          line: index + 1,
          field: '(afbeelding)',
          message: `de afbeelding ${target} bestaat niet. Zet het bestand in de map ${slug}/ naast ${basename(path)} en controleer de naam.`,
        });
      }
    }
  });
  return problems;
}

export interface ValidationOptions {
  /** Parts dated after this moment are not published yet. */
  now: Date;
}

/** Every problem in the content folder, sorted by file and line. An empty list means valid. */
export async function validateContent(
  contentDir: string,
  { now }: ValidationOptions,
): Promise<ContentProblem[]> {
  const problems: ContentProblem[] = [];

  const loadData = <T extends z.ZodType>(folder: string, schema: T) => {
    const entries = new Map<string, { source: YamlSource; data: z.output<T> }>();
    for (const path of filesIn(join(contentDir, folder), /\.ya?ml$/)) {
      const id = basename(path).replace(/\.ya?ml$/, '');
      const source = parseYaml(editorPath(path), readFileSync(path, 'utf8'), 1, problems);
      if (!idPattern.test(id)) {
        problems.push({
          file: editorPath(path),
          line: 1,
          field: '(bestandsnaam)',
          message: `"${basename(path)}" is geen geldige bestandsnaam. Gebruik kleine letters, cijfers en streepjes, zoals job-coenen.yaml.`,
        });
      }
      if (!source) continue;
      const data = schemaProblems(source, schema, problems);
      if (data !== undefined) entries.set(id, { source, data });
    }
    return entries;
  };

  // The accessibility statement is one file; without it the page says there is none yet.
  const statementPath = join(contentDir, accessibilityFile);
  if (existsSync(statementPath)) {
    const source = parseYaml(editorPath(statementPath), readFileSync(statementPath, 'utf8'), 1, problems);
    if (source) schemaProblems(source, accessibilitySchema, problems);
  }

  const authors = loadData('authors', authorSchema({ image: photoPath }));
  const services = loadData('services', serviceSchema);
  const series = loadData('series', seriesSchema);

  for (const [id, { source, data }] of authors) {
    const photo = (data as { photo?: string }).photo;
    if (!photo) continue;
    // The browser editor keeps an author's photo in a folder named after the author.
    const problem = !photo.startsWith(`./${id}/`)
      ? `de foto "${photo}" staat niet in de map ${id}/ naast ${id}.yaml. Zet de foto daar en schrijf photo: ./${id}/${basename(photo)}: zo vindt ook de editor in de browser de foto.`
      : !existsSync(resolve(dirname(join(contentDir, 'authors', `${id}.yaml`)), photo))
        ? `de foto "${photo}" bestaat niet. Zet de foto in de map ${id}/ naast ${id}.yaml of verwijder het veld.`
        : undefined;
    if (problem)
      problems.push({ file: source.file, line: source.lineOf(['photo']), field: 'photo', message: problem });
  }
  for (const [id, { source }] of series) {
    if ((reservedSegments as readonly string[]).includes(id)) {
      problems.push({
        file: source.file,
        line: 1,
        field: '(bestandsnaam)',
        message: `"${id}" is al een adres van de site zelf. Kies een andere bestandsnaam voor de reeks.`,
      });
    }
  }

  const unknown = (kind: string, value: string, known: Map<string, unknown>, folder: string) =>
    `onbekende ${kind} "${value}". Bekend: ${[...known.keys()].join(', ') || '(geen)'}. Kies een bestaande id of maak ${editorPath(join(contentDir, folder, `${value}.yaml`))} aan.`;

  const postsDir = join(contentDir, 'posts');
  const published: { file: string; series: string; part: number; line: number }[] = [];
  const urls = new Map<string, string>();

  for (const path of filesIn(postsDir, /\.mdx?$/, true)) {
    const file = editorPath(path);
    if (path.endsWith('.md')) {
      problems.push({
        file,
        line: 1,
        field: '(bestandsnaam)',
        message: 'alleen .mdx-bestanden worden gepubliceerd. Hernoem het bestand naar .mdx.',
      });
      continue;
    }
    const slug = basename(path, '.mdx');
    if (!idPattern.test(slug)) {
      problems.push({
        file,
        line: 1,
        field: '(bestandsnaam)',
        message: `"${slug}" wordt het webadres van het deel. Gebruik kleine letters, cijfers en streepjes, zoals de-impact-op-het-informatiebeleid.mdx.`,
      });
    }

    const text = readFileSync(path, 'utf8');
    problems.push(...bodyProblems(path, file, text));
    const frontmatter = frontmatterOf(text);
    if (frontmatter === undefined) {
      problems.push({
        file,
        line: 1,
        field: '(frontmatter)',
        message:
          'de gegevens bovenaan ontbreken. Begin het bestand met een regel ---, de velden, en weer een regel ---.',
      });
      continue;
    }
    const source = parseYaml(file, frontmatter, 2, problems);
    if (!source) continue;
    const post = schemaProblems(source, postSchema, problems);
    if (!post) continue;

    if (!authors.has(post.author)) {
      problems.push({
        file,
        line: source.lineOf(['author']),
        field: 'author',
        message: unknown('auteur', post.author, authors, 'authors'),
      });
    }
    post.services.forEach((service, index) => {
      if (!services.has(service)) {
        problems.push({
          file,
          line: source.lineOf(['services', index]),
          field: 'services',
          message: unknown('dienst', service, services, 'services'),
        });
      }
    });
    if (post.series && !series.has(post.series)) {
      problems.push({
        file,
        line: source.lineOf(['series']),
        field: 'series',
        message: unknown('reeks', post.series, series, 'series'),
      });
    }
    if (post.updated && post.updated < post.date) {
      problems.push({
        file,
        line: source.lineOf(['updated']),
        field: 'updated',
        message: 'ligt vóór date. Een bijwerking komt na de publicatie: corrigeer een van beide datums.',
      });
    }

    const url = post.series ? paths.part(post.series, slug) : paths.standalone(slug);
    const other = urls.get(url);
    if (other) {
      problems.push({
        file,
        line: 1,
        field: '(bestandsnaam)',
        message: `krijgt hetzelfde webadres ${url} als ${other}. Geef een van beide een andere bestandsnaam.`,
      });
    } else urls.set(url, file);

    if (post.series && post.part !== undefined && isPublished(post, now, site.timeZone)) {
      published.push({ file, series: post.series, part: post.part, line: source.lineOf(['part']) });
    }
  }

  for (const problem of seriesIntegrityProblems(published)) {
    const line = published.find((part) => part.file === problem.file)!.line;
    problems.push({ file: problem.file, line, field: 'part', message: problem.message });
  }

  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** One line per problem: `file:line  field  what is wrong and what to do`. */
export function formatProblems(problems: readonly ContentProblem[]): string {
  return problems
    .map((problem) => `${problem.file}:${problem.line}  ${problem.field}  ${problem.message}`)
    .join('\n');
}
