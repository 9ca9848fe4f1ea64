import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureContent } from '../../e2e/fixtures/content-tree.ts';
import { formatProblems, validateContent, type ContentProblem } from './content-validation.ts';

const now = new Date('2026-11-29T12:00:00Z');
const check = (dir: string) => validateContent(dir, { now });
const post = (dir: string, path: string) => join(dir, 'posts', path);
const at = (problem: ContentProblem) =>
  `${problem.file.split('/').slice(-2).join('/')}:${problem.line} ${problem.field}`;

describe('validateContent', () => {
  it('accepts the valid base tree and the real content', async () => {
    expect(await check(fixtureContent())).toEqual([]);
    expect(await check('content')).toEqual([]);
  });

  it('names the file, line and field of a mistake in the accessibility statement', async () => {
    const dir = fixtureContent();
    const statement = readFileSync('content/toegankelijkheid.yaml', 'utf8');
    // Status B claims a full audit that is not there; the contact address is not one.
    writeFileSync(
      join(dir, 'toegankelijkheid.yaml'),
      statement
        .replace('status: C', 'status: B')
        .replace('email: redactie@reeks.example.com', 'email: redactie'),
    );
    const problems = await check(dir);
    expect(problems.map((problem) => `${problem.file.split('/').pop()} ${problem.field}`)).toEqual([
      'toegankelijkheid.yaml status',
      'toegankelijkheid.yaml contact.email',
    ]);
    expect(problems[0]!.message).toMatch(/^A en B vragen een volledig onderzoek volgens WCAG-EM/);
    expect(problems[0]!.line).toBe(statement.split('\n').findIndex((line) => line.startsWith('status:')) + 1);
  });

  it('names the file, line, field and value of an unknown author', async () => {
    const problems = await check(fixtureContent('unknown-author'));
    expect(problems.map(at)).toEqual(['testreeks/tweede-deel.mdx:5 author']);
    expect(problems[0]!.message).toContain('onbekende auteur "onbekende-auteur"');
    expect(problems[0]!.message).toContain('anna-de-vries');
  });

  it('names both files of a duplicate part', async () => {
    const problems = await check(fixtureContent('duplicate-part'));
    expect(problems.map(at)).toEqual(['testreeks/ook-tweede.mdx:9 part', 'testreeks/tweede-deel.mdx:9 part']);
    for (const problem of problems) {
      expect(problem.message).toMatch(/ook-tweede\.mdx.*tweede-deel\.mdx|tweede-deel\.mdx.*ook-tweede\.mdx/);
    }
  });

  it('names the missing number of a gap', async () => {
    const problems = await check(fixtureContent('gap'));
    expect(problems.map(at)).toEqual(['testreeks/vierde-deel.mdx:9 part']);
    expect(problems[0]!.message).toContain('deel 3 van reeks "testreeks" ontbreekt');
  });

  it('reports a missing title on the first line of the frontmatter', async () => {
    const problems = await check(fixtureContent('missing-title'));
    expect(problems.map(at)).toEqual(['testreeks/tweede-deel.mdx:2 title']);
    expect(problems[0]!.message).toContain('ontbreekt');
  });

  it('reports an impossible date that YAML would silently roll over', async () => {
    const problems = await check(fixtureContent('bad-date'));
    expect(problems.map(at)).toEqual(['testreeks/tweede-deel.mdx:4 date']);
    expect(problems[0]!.message).toContain('kalender');
  });

  it('reports every mistake at once, sorted by file and line', async () => {
    const dir = fixtureContent('gap');
    writeFileSync(
      post(dir, 'kapot.mdx'),
      '---\ntitle: Kapot\ndescription: x\ndate: 21-04-2020\nauther: anna-de-vries\nservices: testdienst\n---\n',
    );
    const problems = await check(dir);
    expect(problems.map(at)).toEqual([
      'posts/kapot.mdx:2 author',
      'posts/kapot.mdx:4 date',
      'posts/kapot.mdx:5 auther',
      'posts/kapot.mdx:6 services',
      'testreeks/vierde-deel.mdx:9 part',
    ]);
  });

  it('leaves drafts and future parts out of the numbering', async () => {
    const dir = fixtureContent('gap');
    const draft = (file: string, extra: string) =>
      writeFileSync(
        post(dir, `testreeks/${file}`),
        `---\ntitle: Derde\ndescription: x\ndate: 2021-03-10\nauthor: anna-de-vries\nservices:\n  - testdienst\nseries: testreeks\npart: 3\n${extra}---\n`,
      );
    draft('derde-deel.mdx', 'draft: true\n');
    expect((await check(dir)).map(at)).toEqual(['testreeks/vierde-deel.mdx:9 part']);
  });

  it('requires a part number for a series post and a series for a part number', async () => {
    const dir = fixtureContent();
    writeFileSync(
      post(dir, 'los-artikel.mdx'),
      '---\ntitle: Los\ndescription: x\ndate: 2021-03-01\nauthor: anna-de-vries\nservices:\n  - testdienst\npart: 2\n---\n',
    );
    expect((await check(dir)).map(at)).toEqual(['posts/los-artikel.mdx:8 part']);
  });

  it('reports unreadable YAML with its line', async () => {
    const dir = fixtureContent();
    writeFileSync(
      post(dir, 'los-artikel.mdx'),
      '---\ntitle: Los\ndescription: "niet gesloten\ndate: 2021-03-01\n---\n',
    );
    const [problem] = await check(dir);
    expect(problem?.field).toBe('(opmaak)');
    expect(problem?.file).toContain('los-artikel.mdx');
  });

  it('accepts the contact wording of a series and an author, and refuses it empty or misspelt', async () => {
    const dir = fixtureContent();
    writeFileSync(
      join(dir, 'series', 'testreeks.yaml'),
      'title: Testreeks\ndescription: x\ntopic: testen\ncontactHeading: Vragen? Mail Anna.\n',
    );
    writeFileSync(
      join(dir, 'authors', 'anna-de-vries.yaml'),
      'name: Anna de Vries\nrole: Adviseur\nbio: x\nemail: anna@example.com\ncontactHeading: Vraag het Anna.\n',
    );
    expect(await check(dir)).toEqual([]);

    writeFileSync(
      join(dir, 'series', 'testreeks.yaml'),
      'title: Testreeks\ndescription: x\ntopic: " "\ncontactheading: Vragen?\n',
    );
    // (The parts of the now invalid series are reported too, as referring to an unknown series.)
    const problems = (await check(dir)).filter((problem) => problem.file.endsWith('testreeks.yaml'));
    expect(problems.map(at)).toEqual([
      'series/testreeks.yaml:3 topic',
      'series/testreeks.yaml:4 contactheading',
    ]);
    expect(problems[0]!.message).toContain('is leeg');
    expect(problems[1]!.message).toContain('onbekend veld');
  });

  it('accepts the month an announced part is expected, and refuses one in another form', async () => {
    const dir = fixtureContent();
    const series = (expected: string) =>
      writeFileSync(
        join(dir, 'series', 'testreeks.yaml'),
        `title: Testreeks\ndescription: x\nplannedParts:\n  - part: 3\n    title: Drie\n    expected: ${expected}\n`,
      );
    series('2027-03');
    expect(await check(dir)).toEqual([]);

    for (const [expected, message] of [
      ['2027-3', 'is geen maand in de vorm JJJJ-MM'],
      ['2027-03-01', 'Schrijf bijvoorbeeld 2027-03'],
    ]) {
      series(expected);
      const problems = (await check(dir)).filter((problem) => problem.file.endsWith('testreeks.yaml'));
      expect(problems.map(at), expected).toEqual(['series/testreeks.yaml:6 plannedParts.0.expected']);
      expect(problems[0]!.message).toContain(message);
    }
  });

  it('refuses a series id that is a route of the site', async () => {
    const dir = fixtureContent();
    writeFileSync(join(dir, 'series', 'auteurs.yaml'), 'title: X\ndescription: Y\n');
    expect((await check(dir)).map(at)).toEqual(['series/auteurs.yaml:1 (bestandsnaam)']);
  });
});

describe("validateContent on an author's photo", () => {
  const withPhoto = async (photo: string) => {
    const dir = fixtureContent();
    const path = join(dir, 'authors', 'anna-de-vries.yaml');
    writeFileSync(path, `${readFileSync(path, 'utf8')}photo: ${photo}\n`);
    mkdirSync(join(dir, 'authors', 'anna-de-vries'));
    copyFileSync(
      post(dir, 'testreeks/eerste-deel/illustratie.jpg'),
      join(dir, 'authors', 'anna-de-vries', 'photo.jpg'),
    );
    return check(dir);
  };

  it("accepts a photo in the author's own folder", async () => {
    expect(await withPhoto('./anna-de-vries/photo.jpg')).toEqual([]);
  });

  it('reports a photo elsewhere, which the editor could not show, and a photo that is not there', async () => {
    const [elsewhere] = await withPhoto('anna.jpg');
    expect(elsewhere!.message).toContain('staat niet in de map anna-de-vries/ naast anna-de-vries.yaml');
    const [missing] = await withPhoto('./anna-de-vries/ontbreekt.jpg');
    expect(missing!.message).toContain('bestaat niet');
    expect(at(missing!)).toBe('authors/anna-de-vries.yaml:5 photo');
  });
});

describe('validateContent on the body of a part', () => {
  const withBody = async (body: string) => {
    const dir = fixtureContent();
    const path = post(dir, 'testreeks/tweede-deel.mdx');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n${body}\n`);
    mkdirSync(post(dir, 'testreeks/tweede-deel'));
    copyFileSync(
      post(dir, 'testreeks/eerste-deel/illustratie.jpg'),
      post(dir, 'testreeks/tweede-deel/illustratie.jpg'),
    );
    return check(dir);
  };

  it("accepts the components and an image with alt text in the post's own folder", async () => {
    expect(
      await withBody('<Callout>Tekst</Callout>\n\n![Een illustratie](./tweede-deel/illustratie.jpg)'),
    ).toEqual([]);
  });

  it('reports MDX syntax errors with their line', async () => {
    const problems = await withBody('Een zin.\n\n<Callout title="Open">\nNooit gesloten.');
    expect(problems.map(at)).toEqual(['testreeks/tweede-deel.mdx:16 (tekst)']);
    expect(problems[0]!.message).toContain('Callout');
  });

  it('reports an HTML comment, which MDX does not allow', async () => {
    const problems = await withBody('<!-- notitie -->');
    expect(problems.map(at)).toEqual(['testreeks/tweede-deel.mdx:14 (tekst)']);
    expect(problems[0]!.message).toContain('{/* ... */}');
  });

  it('reports an image without alt text and an image that is not there', async () => {
    const problems = await withBody(
      'Tekst.\n\n![](./tweede-deel/illustratie.jpg)\n\n![Een foto](./tweede-deel/ontbreekt.jpg)',
    );
    expect(problems.map(at)).toEqual([
      'testreeks/tweede-deel.mdx:16 (afbeelding)',
      'testreeks/tweede-deel.mdx:18 (afbeelding)',
    ]);
    expect(problems[0]!.message).toContain('geen alt-tekst');
    expect(problems[1]!.message).toContain('bestaat niet');
  });

  it("reports an image outside the post's own folder, which the editor could not show", async () => {
    const problems = await withBody(
      '![Een illustratie](./eerste-deel/illustratie.jpg)\n\n![Een foto](https://example.com/foto.jpg)',
    );
    expect(problems.map(at)).toEqual([
      'testreeks/tweede-deel.mdx:14 (afbeelding)',
      'testreeks/tweede-deel.mdx:16 (afbeelding)',
    ]);
    expect(problems[0]!.message).toContain('staat niet in de map tweede-deel/ naast tweede-deel.mdx');
    expect(problems[0]!.message).toContain('./tweede-deel/illustratie.jpg');
  });
});

describe('validateContent against code in the text', () => {
  const withBody = async (body: string) => {
    const dir = fixtureContent();
    const path = post(dir, 'testreeks/tweede-deel.mdx');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n${body}\n`);
    return (await check(dir)).map((problem) => `${problem.line} ${problem.message.split('.')[0]}`);
  };

  it.each([
    ['<script>alert(1)</script>', 'deze HTML-tag is niet toegestaan'],
    ['<iframe src="https://example.com" />', 'deze HTML-tag is niet toegestaan'],
    ['<img src="x.png" alt="x" onerror="alert(1)" />', 'een on'],
    ['[klik](javascript:alert(1))', 'een javascript:-link is niet toegestaan'],
    [
      "import Evil from './evil.astro';",
      'import en export zijn niet toegestaan: bouwstenen werken zonder import',
    ],
    [
      '<div set:html="<b>x</b>" />',
      'HTML invoegen met set:html of dangerouslySetInnerHTML is niet toegestaan',
    ],
  ])('refuses %s', async (markup, message) => {
    expect(await withBody(markup)).toEqual([`14 ${message}`]);
  });

  it('names an unknown component and the ones there are', async () => {
    expect(
      await withBody(
        '<Kader>Let op</Kader>\n\n<callout type="tip">x</callout>\n\n<Callout type="tip">Goed.</Callout>',
      ),
    ).toEqual(['14 de bouwsteen <Kader> bestaat niet']);
    const dir = fixtureContent();
    const path = post(dir, 'testreeks/tweede-deel.mdx');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n<PullQoute>x</PullQoute>\n`);
    expect((await check(dir))[0]!.message).toBe(
      'de bouwsteen <PullQoute> bestaat niet. Kies uit <Callout>, <Figure>, <ModelFigure>, <PullQuote> (content/README.md), en let op de hoofdletters.',
    );
  });

  it('allows the same text as code', async () => {
    expect(
      await withBody('Schrijf nooit `<script>` in een artikel.\n\n```html\n<script>alert(1)</script>\n```'),
    ).toEqual([]);
  });
});

describe('formatProblems', () => {
  it('prints one line per problem as file:line  field  message', () => {
    expect(formatProblems([{ file: 'a.mdx', line: 3, field: 'date', message: 'is fout.' }])).toBe(
      'a.mdx:3  date  is fout.',
    );
  });
});
