import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dutchLabels, dutchLabelsPlugin } from './dutch-labels.ts';

/** Keystatic's browser modules (the .node, .worker and .react-server variants are not for the browser). */
const keystaticDist = 'node_modules/@keystatic/core/dist';
const browserModules = readdirSync(keystaticDist).filter(
  (file) => /^[\w-]+\.js$/.test(file) && !/\.(node|worker|react-server)\.js$/.test(file),
);

describe('dutchLabelsPlugin', () => {
  const transform = dutchLabelsPlugin().transform as (
    code: string,
    id: string,
  ) => { code: string } | undefined;
  const withTable = browserModules.filter((file) =>
    transform(readFileSync(join(keystaticDist, file), 'utf8'), join(keystaticDist, file)),
  );

  it("finds Keystatic's table of strings in exactly one browser module", () => {
    expect(withTable).toHaveLength(1);
  });

  it('translates every string Keystatic has, and Save as "Opslaan"', async () => {
    const file = join(process.cwd(), keystaticDist, withTable[0]!);
    const code = transform(readFileSync(file, 'utf8'), file)!.code;
    // The table as the module leaves it: evaluate the module's own declaration of it with ours after it.
    const table = new Function(
      `${/\nconst strings = \{[\s\S]*?\n\};\n/.exec(code)![0]}\n${code.slice(code.lastIndexOf('\nObject.assign(strings'))}\nreturn strings;`,
    )() as Record<string, Record<string, string>>;
    expect(Object.keys(table['nl-NL']!).sort()).toEqual(Object.keys(table['en-US']!).sort());
    expect(Object.keys(dutchLabels).sort()).toEqual(Object.keys(table['en-US']!).sort());
    expect(table['nl-NL']!.save).toBe('Opslaan');
    expect(table['nl-NL']!.create).toBe('Aanmaken');
  });

  it('names the text editor\'s "+" menu buttons, which show only icons', () => {
    const file = join(keystaticDist, withTable[0]!);
    const code = transform(readFileSync(file, 'utf8'), file)!.code;
    expect(
      code.match(/"aria-label": "Insert",\n\s+(marginY: "regular",\n\s+)?marginEnd: entryLayoutPane/g),
    ).toHaveLength(2);
  });

  it('leaves every other module alone', () => {
    expect(transform('const strings = {};', '/x/@keystatic/core/dist/other.js')).toBeUndefined();
    expect(
      transform(readFileSync(join(keystaticDist, withTable[0]!), 'utf8'), '/x/some-other-package/index.js'),
    ).toBeUndefined();
  });
});
