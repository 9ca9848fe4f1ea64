// The browser editor (Keystatic) in `npm run dev`, on its own copy of content/ (see
// e2e/build-site.ts), and its absence from the production site.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { load } from 'js-yaml';
import { editorPort } from '../playwright.config.ts';
import { buildSite, removeTemporaryBuilds } from './fixtures/build.ts';
import { editorContentDir } from './fixtures/content-tree.ts';
import { frontmatterOf, validateContent } from '../src/lib/content-validation.ts';
import { todayIn } from '../src/lib/dates.ts';
import { site } from '../src/site.config.ts';

const editor = `http://localhost:${editorPort}`;

/** Every content file, relative to the content folder. */
const contentFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(ya?ml|mdx)$/.test(file)).sort();

/** Where the editor shows a content file, and the label of the field that names it. */
function entryOf(file: string): { url: string; field: string } {
  const [folder, ...rest] = file.replace(/\.(ya?ml|mdx)$/, '').split('/');
  if (folder !== 'posts') return { url: `/keystatic/collection/${folder}/item/${rest[0]}`, field: folder === 'series' ? 'Titel' : 'Naam' };
  const collection = rest.length === 2 ? `parts-${rest[0]}` : 'posts';
  return { url: `/keystatic/collection/${collection}/item/${rest.at(-1)}`, field: 'Titel' };
}

/** Changes the name or title of an entry in the editor and saves. */
async function saveWithName(page: Page, url: string, field: string, name: (current: string) => string) {
  await page.goto(url);
  const input = page.getByRole('textbox', { name: field, exact: true });
  await input.fill(name(await input.inputValue()));
  await page.getByRole('button', { name: 'Redden' }).click();
}

/** Inserts a block at the cursor through the editor's "/" menu. */
async function insert(page: Page, block: string) {
  await page.keyboard.type('/');
  const menu = page.getByRole('listbox', { name: 'Insert menu' });
  await expect(menu).toBeVisible();
  await page.keyboard.type(block);
  await menu.getByRole('option', { name: block }).click();
}

test.describe('the editor in npm run dev', () => {
  test.describe.configure({ mode: 'serial' });
  // The editor suggests today's date in the browser's time zone: the editors' own.
  test.use({ baseURL: editor, timezoneId: site.timeZone });

  test('/admin opens the editor with the collections of the content model', async ({ page }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/keystatic$/);
    const navigation = page.getByRole('navigation').first();
    for (const collection of ['Delen: Digitale transformatie', 'Losse artikelen', 'Reeksen', 'Auteurs', 'Diensten']) {
      await expect(navigation.getByRole('link', { name: collection })).toBeVisible();
    }
  });

  test('saving a file without net change leaves it byte for byte as it was', async ({ page }) => {
    test.setTimeout(120_000);
    // A part as `npm run new` writes it, next to every file in content/.
    const made = spawnSync(process.execPath, ['scripts/new.ts', '--series', 'digitale-transformatie', '--title', 'Uit de terminal'], {
      env: { ...process.env, CONTENT_DIR: editorContentDir },
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
    // The editor, opened now, suggests the number after it.
    await page.goto('/keystatic/collection/parts-digitale-transformatie/create');
    await expect(page.getByRole('textbox', { name: 'Deel' })).toHaveValue('5');
    const files = contentFiles(editorContentDir);
    expect(files).toEqual([...contentFiles('content'), 'posts/digitale-transformatie/uit-de-terminal.mdx'].sort());

    for (const file of files) {
      const path = join(editorContentDir, file);
      const before = readFileSync(path);
      const { url, field } = entryOf(file);
      // Keystatic only saves a change; a change and its undo each rewrite the whole file.
      await saveWithName(page, url, field, (name) => `${name} (bewerkt)`);
      await expect.poll(() => readFileSync(path, 'utf8'), file).toContain(' (bewerkt)');
      await saveWithName(page, url, field, (name) => name.replace(/ \(bewerkt\)$/, ''));
      await expect.poll(() => readFileSync(path, 'utf8'), `${file} after saving it unchanged`).toBe(before.toString('utf8'));
      expect(readFileSync(path).equals(before), file).toBe(true);
    }
    rmSync(join(editorContentDir, 'posts/digitale-transformatie/uit-de-terminal.mdx'));
  });

  test('a new part made in the editor is an ordinary MDX file that builds into its series', async ({ page }) => {
    test.setTimeout(240_000);
    // Parts 1 to 3 are there; the part `npm run new` made in the test before is gone again.
    const next = 4;
    await page.goto('/keystatic/collection/parts-digitale-transformatie');
    await page.getByRole('button', { name: 'Toevoegen' }).click();

    // Suggested: the next free number, today, the series, and the latest part's author and services.
    await expect(page.getByRole('textbox', { name: 'Deel' })).toHaveValue(String(next));
    await expect(page.getByRole('textbox', { name: 'Datum' })).toHaveValue(todayIn(site.timeZone));
    await expect(page.getByRole('combobox', { name: 'Reeks' })).toHaveValue('digitale-transformatie');
    await expect(page.getByRole('combobox', { name: 'Auteur' })).toHaveValue('job-coenen');
    await expect(page.getByRole('row', { name: 'i-visie-en-beleid' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: /^Concept/ })).toBeChecked();

    await page.getByRole('textbox', { name: 'Titel', exact: true }).fill('Data als grondstof');
    await expect(page.getByRole('textbox', { name: 'Bestandsnaam' })).toHaveValue('data-als-grondstof');
    await page.getByRole('textbox', { name: 'Beschrijving' }).fill('Wat gemeenten winnen als zij hun gegevens als gedeelde grondstof behandelen.');
    // Published, so that the production build below shows it.
    await page.getByRole('checkbox', { name: /^Concept/ }).uncheck();

    const body = page.getByRole('textbox', { name: 'Tekst' });
    await body.click();
    await insert(page, 'Heading 2');
    await page.keyboard.type('Gegevens als gedeeld bezit');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Gemeenten beschikken over veel gegevens.');
    await page.keyboard.press('Enter');
    // A component from the insert menu, with its properties set in its dialog.
    await insert(page, 'Kader');
    await page.keyboard.type('Begin met één register.');
    await body.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Kader' });
    await dialog.getByRole('button', { name: /Soort/ }).click();
    await page.getByRole('option', { name: 'Tip' }).click();
    await dialog.getByRole('textbox', { name: 'Titel' }).fill('Begin klein');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Creëren' }).click();
    await expect(page).toHaveURL(/\/item\/data-als-grondstof$/);

    const path = join(editorContentDir, 'posts/digitale-transformatie/data-als-grondstof.mdx');
    const file = readFileSync(path, 'utf8');
    expect(load(frontmatterOf(file)!)).toEqual({
      title: 'Data als grondstof',
      description: 'Wat gemeenten winnen als zij hun gegevens als gedeelde grondstof behandelen.',
      date: new Date(`${todayIn(site.timeZone)}T00:00:00Z`),
      author: 'job-coenen',
      services: ['i-visie-en-beleid'],
      series: 'digitale-transformatie',
      part: next,
      draft: false,
    });
    expect(file).toContain('## Gegevens als gedeeld bezit\n\nGemeenten beschikken over veel gegevens.\n\n<Callout type="tip" title="Begin klein">\n  Begin met één register.\n</Callout>\n');
    expect(await validateContent(editorContentDir, { now: new Date() }), 'npm run check').toEqual([]);

    const build = buildSite(editorContentDir);
    try {
      expect(build.status, build.output).toBe(0);
      await page.setContent(readFileSync(join(build.outDir, 'client/digitale-transformatie/index.html'), 'utf8'));
      const parts = page.getByRole('main').getByRole('listitem');
      await expect(parts.filter({ hasText: 'Data als grondstof' }).getByRole('link')).toHaveAttribute('href', '/digitale-transformatie/data-als-grondstof/');
      await page.setContent(readFileSync(join(build.outDir, 'client/digitale-transformatie/data-als-grondstof/index.html'), 'utf8'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data als grondstof');
      await expect(page.getByText(`Deel ${next} van ${next}`, { exact: true })).toBeVisible();
      await expect(page.getByRole('note')).toContainText('Begin met één register.');
    } finally {
      removeTemporaryBuilds();
    }
  });

  test('a save that would break the content is refused with the check\'s message', async ({ page }) => {
    await page.goto('/keystatic/collection/parts-digitale-transformatie/create');
    await page.getByRole('textbox', { name: 'Titel', exact: true }).fill('Nog een eerste deel');
    await page.getByRole('textbox', { name: 'Beschrijving' }).fill('Een deel met een nummer dat al bestaat.');
    await page.getByRole('textbox', { name: 'Deel' }).fill('1');
    await page.getByRole('checkbox', { name: /^Concept/ }).uncheck();
    await page.getByRole('button', { name: 'Creëren' }).click();

    await expect(page.getByText(/Niet opgeslagen/)).toContainText('deel 1 van reeks "digitale-transformatie" bestaat twee keer');
    expect(existsSync(join(editorContentDir, 'posts/digitale-transformatie/nog-een-eerste-deel.mdx'))).toBe(false);
    // Nothing the editor typed is lost: the form is still filled in.
    await expect(page.getByRole('textbox', { name: 'Titel', exact: true })).toHaveValue('Nog een eerste deel');
  });
});

test.describe('the production site', () => {
  test('has no editor and no editor API', async ({ request }) => {
    for (const url of ['/keystatic/', '/keystatic/collection/posts', '/api/keystatic/tree/', '/admin/']) {
      expect((await request.get(url)).status(), url).toBe(404);
    }
    const built = readdirSync('dist-test', { recursive: true, encoding: 'utf8' }).filter((file) => /\.(m?js|html)$/.test(file));
    const mentions = built.filter((file) => /keystatic|react-dom/i.test(readFileSync(join('dist-test', file), 'utf8')));
    expect(mentions.map((file) => relative('.', file))).toEqual([]);
  });
});
