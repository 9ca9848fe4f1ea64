// The browser editor (Keystatic) in `npm run dev`, on the test content copy (content/ plus the
// fixtures of e2e/fixtures/test-additions, see e2e/build-site.ts), and its absence from the
// production site.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { load } from 'js-yaml';
import { devPort } from '../playwright.config.ts';
import { buildSite, removeTemporaryBuilds } from './fixtures/build.ts';
import { e2eContentDir } from './fixtures/content-tree.ts';
import { gotoInDev } from './fixtures/dev-server.ts';
import { frontmatterOf } from '../src/lib/content-files.ts';
import { validateContent } from '../src/lib/content-validation.ts';
import { todayIn } from '../src/lib/dates.ts';
import { site } from '../src/site.config.ts';

/** What these tests add to the content copy; removed first, so they can run again. */
const made = {
  fromTerminal: 'posts/digitale-transformatie/uit-de-terminal.mdx',
  series: 'series/slimme-stad.yaml',
  part: 'posts/slimme-stad/sensoren-in-de-straat.mdx',
  refused: 'posts/digitale-transformatie/nog-een-eerste-deel.mdx',
};

/** An image to upload into a part. */
const image = 'e2e/fixtures/test-additions/posts/over-deze-site/illustratie.jpg';

/** Every content file in a folder, relative to it. */
/** The files the editor shows: those in its collections' folders (the accessibility statement, at the top, is edited as a file). */
const contentFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.includes('/') && /\.(ya?ml|mdx)$/.test(file))
    .sort();

/** Where the editor shows a content file, and the label of the field that names it. */
function entryOf(file: string): { url: string; field: string } {
  const [folder, ...rest] = file.replace(/\.(ya?ml|mdx)$/, '').split('/');
  if (folder !== 'posts')
    return {
      url: `/keystatic/collection/${folder}/item/${rest[0]}`,
      field: folder === 'series' ? 'Titel' : 'Naam',
    };
  const collection = rest.length === 2 ? `parts-${rest[0]}` : 'posts';
  return { url: `/keystatic/collection/${collection}/item/${rest.at(-1)}`, field: 'Titel' };
}

/**
 * Opens a page of the editor and waits until Keystatic has drawn it: on a busy machine the dev
 * server compiles the editor's code on the first visit, which can take far longer than a click.
 */
async function openEditor(page: Page, url: string) {
  await gotoInDev(page, url);
  await expect(page.getByRole('navigation').first()).toBeVisible({ timeout: 90_000 });
}

/** Changes the name or title of an entry in the editor and saves. */
async function saveWithName(page: Page, url: string, field: string, name: (current: string) => string) {
  await openEditor(page, url);
  const input = page.getByRole('textbox', { name: field, exact: true });
  await input.fill(name(await input.inputValue()));
  await page.getByRole('button', { name: 'Opslaan' }).click();
}

/** Inserts a block at the cursor through the editor's "/" menu. */
async function insert(page: Page, block: string) {
  await page.keyboard.type('/');
  const menu = page.getByRole('listbox', { name: 'Insert menu' });
  await expect(menu).toBeVisible();
  await page.keyboard.type(block);
  await menu.getByRole('option', { name: block }).click();
}

/** Picks an author, service or series from a pick list. */
async function pick(page: Page, list: string, id: string) {
  await page.getByRole('combobox', { name: list }).fill(id);
  await page.getByRole('option', { name: id }).click();
}

test.describe('the editor in npm run dev', () => {
  test.describe.configure({ mode: 'serial' });
  // The editor suggests today's date in the browser's time zone: the editors' own.
  test.use({ baseURL: `http://localhost:${devPort}`, timezoneId: site.timeZone });

  test.beforeAll(() => {
    for (const path of Object.values(made)) rmSync(join(e2eContentDir, path), { force: true });
    rmSync(join(e2eContentDir, 'posts/slimme-stad'), { recursive: true, force: true });
  });

  test('/admin opens the editor with the collections of the content model, and nothing from outside', async ({
    page,
  }) => {
    // Requests to other hosts, except those the page's content security policy stopped.
    const outside = new Set<string>();
    page.on('request', (request) => {
      if (/^https?:/.test(request.url()) && new URL(request.url()).hostname !== 'localhost')
        outside.add(request.url());
    });
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText === 'csp') outside.delete(request.url());
    });

    await openEditor(page, '/admin');
    await expect(page).toHaveURL(/\/keystatic$/);
    const navigation = page.getByRole('navigation').first();
    for (const collection of [
      'Delen: Digitale transformatie',
      'Losse artikelen',
      'Reeksen',
      'Auteurs',
      'Diensten',
    ]) {
      await expect(navigation.getByRole('link', { name: collection })).toBeVisible();
    }
    await page.waitForLoadState('networkidle');
    expect([...outside]).toEqual([]);
  });

  test('the editor speaks proper Dutch where Keystatic lets us, and every button has a name', async ({
    page,
  }) => {
    await page.goto(
      '/keystatic/collection/parts-digitale-transformatie/item/de-impact-op-het-informatiebeleid',
    );
    await expect(page.getByRole('textbox', { name: 'Titel', exact: true })).toHaveValue(
      'De impact op het informatiebeleid',
    );
    await expect(page.getByRole('button', { name: 'Opslaan' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Redden' })).toHaveCount(0);
    // The text editor's "+" menu, which Keystatic shows as icons only.
    await expect(page.getByRole('button', { name: 'Insert', exact: true })).toBeVisible();
    await expect(page).toHaveTitle(/^Editor \| /);
    // Names for screen readers: every button and link, the page's language and title; each page
    // checked once what it shows is there.
    const rules = [
      'button-name',
      'link-name',
      'aria-command-name',
      'aria-input-field-name',
      'html-has-lang',
      'document-title',
    ];
    const pages: [string, string][] = [
      ['/keystatic', 'theme'],
      ['/keystatic/collection/parts-digitale-transformatie', 'Toevoegen'],
      ['/keystatic/collection/parts-digitale-transformatie/item/de-impact-op-het-informatiebeleid', 'Insert'],
      ['/keystatic/collection/series/item/digitale-transformatie', 'Opslaan'],
      ['/keystatic/collection/authors/item/job-coenen', 'Opslaan'],
    ];
    for (const [url, button] of pages) {
      await page.goto(url);
      await expect(page.getByRole('button', { name: button, exact: true }).first()).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).withRules(rules).analyze();
      expect(
        violations.map(
          (violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(', ')}`,
        ),
        url,
      ).toEqual([]);
    }
  });

  test('saving a file without net change leaves it byte for byte as it was', async ({ page }) => {
    test.setTimeout(120_000);
    // Every file of content/, and a part as `npm run new` writes it.
    const files = contentFiles('content');
    for (const file of files)
      expect(readFileSync(join(e2eContentDir, file)).equals(readFileSync(join('content', file))), file).toBe(
        true,
      );
    const terminal = spawnSync(
      process.execPath,
      ['scripts/new.ts', '--series', 'digitale-transformatie', '--title', 'Uit de terminal'],
      {
        env: { ...process.env, CONTENT_DIR: e2eContentDir },
        encoding: 'utf8',
      },
    );
    expect(terminal.status, terminal.stderr).toBe(0);
    expect(terminal.stdout).toContain('Deel 5 van "digitale-transformatie"'); // after the draft part 4
    // The editor, opened now, suggests the number after it.
    await openEditor(page, '/keystatic/collection/parts-digitale-transformatie/create');
    await expect(page.getByRole('textbox', { name: 'Deel' })).toHaveValue('6');

    for (const file of [...files, made.fromTerminal]) {
      const path = join(e2eContentDir, file);
      const before = readFileSync(path);
      const { url, field } = entryOf(file);
      // Keystatic only saves a change; a change and its undo each rewrite the whole file.
      await saveWithName(page, url, field, (name) => `${name} (bewerkt)`);
      await expect.poll(() => readFileSync(path, 'utf8'), file).toContain(' (bewerkt)');
      await saveWithName(page, url, field, (name) => name.replace(/ \(bewerkt\)$/, ''));
      await expect
        .poll(() => readFileSync(path, 'utf8'), `${file} after saving it unchanged`)
        .toBe(before.toString('utf8'));
      expect(readFileSync(path).equals(before), file).toBe(true);
    }
    rmSync(join(e2eContentDir, made.fromTerminal));
  });

  test('a new series and its first part with a component and a figure, made in the editor, are ordinary files that build', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await openEditor(page, '/keystatic/collection/series');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await page.getByRole('textbox', { name: 'Titel', exact: true }).fill('Slimme stad');
    await page
      .getByRole('textbox', { name: 'Beschrijving' })
      .fill('Een reeks over sensoren en gegevens in de openbare ruimte.');
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await expect(page).toHaveURL(/\/collection\/series\/item\/slimme-stad$/);

    // Opened again, the editor has a collection for the parts of the new series.
    await openEditor(page, '/keystatic');
    await page.getByRole('navigation').first().getByRole('link', { name: 'Delen: Slimme stad' }).click();
    await page.getByRole('button', { name: 'Toevoegen' }).click();

    // Suggested: the next free number, today, the series, and a draft.
    await expect(page.getByRole('textbox', { name: 'Deel' })).toHaveValue('1');
    await expect(page.getByRole('textbox', { name: 'Datum' })).toHaveValue(todayIn(site.timeZone));
    await expect(page.getByRole('combobox', { name: 'Reeks' })).toHaveValue('slimme-stad');
    await expect(page.getByRole('checkbox', { name: /^Concept/ })).toBeChecked();

    await page.getByRole('textbox', { name: 'Titel', exact: true }).fill('Sensoren in de straat');
    await expect(page.getByRole('textbox', { name: 'Bestandsnaam' })).toHaveValue('sensoren-in-de-straat');
    await page
      .getByRole('textbox', { name: 'Beschrijving' })
      .fill('Wat een gemeente meet in de openbare ruimte, en wat zij daarmee mag.');
    // References are picked from what exists: an unknown author cannot be typed in.
    await page.getByRole('combobox', { name: 'Auteur' }).fill('onbekend');
    await expect(page.getByRole('option')).toHaveCount(0);
    await pick(page, 'Auteur', 'job-coenen');
    await pick(page, 'Diensten', 'i-visie-en-beleid');
    // Published, so that the production build below shows it.
    await page.getByRole('checkbox', { name: /^Concept/ }).uncheck();

    const body = page.getByRole('textbox', { name: 'Tekst' });
    await body.click();
    await insert(page, 'Heading 2');
    await page.keyboard.type('Wat er gemeten wordt');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Lantaarnpalen tellen fietsers.');
    await page.keyboard.press('Enter');
    // Components from the insert menu, with their properties set in their dialogs.
    await insert(page, 'Kader');
    await page.keyboard.type('Vertel inwoners wat je meet.');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // out of the callout again
    await insert(page, 'Figuur');
    const upload = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Image' }).click();
    await (await upload).setFiles(image);

    await body.getByRole('button', { name: 'Edit' }).first().click();
    const callout = page.getByRole('dialog', { name: 'Edit Kader' });
    await callout.getByRole('button', { name: /Soort/ }).click();
    await page.getByRole('option', { name: 'Tip' }).click();
    await callout.getByRole('textbox', { name: 'Titel' }).fill('Wees open');
    await callout.getByRole('button', { name: 'Done' }).click();
    await body.getByRole('button', { name: 'Edit' }).last().click();
    const figure = page.getByRole('dialog', { name: 'Edit Figuur' });
    await figure.getByRole('textbox', { name: 'Onderschrift' }).fill('Een telpaal langs het fietspad.');
    await figure.getByRole('button', { name: 'Done' }).click();

    // Without alt text the save is refused, with the content check's message.
    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await expect(page.getByText(/Niet opgeslagen/)).toContainText(
      './sensoren-in-de-straat/illustratie.jpg heeft geen alt-tekst',
    );
    expect(existsSync(join(e2eContentDir, made.part))).toBe(false);
    await body.locator('img[data-filename]').click();
    await page.getByRole('dialog').getByRole('button').first().click(); // the image's edit button
    const details = page.getByRole('dialog', { name: 'Image details' });
    await details
      .getByRole('textbox', { name: 'Alt-tekst' })
      .fill('Een kleurverloop van groen naar oranje met twee lichte vormen');
    await details.getByRole('button', { name: 'Opslaan' }).click();

    await page.getByRole('button', { name: 'Aanmaken' }).click();
    await expect(page).toHaveURL(/\/item\/sensoren-in-de-straat$/);

    const file = readFileSync(join(e2eContentDir, made.part), 'utf8');
    expect(load(frontmatterOf(file)!)).toEqual({
      title: 'Sensoren in de straat',
      description: 'Wat een gemeente meet in de openbare ruimte, en wat zij daarmee mag.',
      date: new Date(`${todayIn(site.timeZone)}T00:00:00Z`),
      author: 'job-coenen',
      services: ['i-visie-en-beleid'],
      series: 'slimme-stad',
      part: 1,
      draft: false,
    });
    expect(file.slice(file.indexOf('\n---\n') + 5)).toBe(`## Wat er gemeten wordt

Lantaarnpalen tellen fietsers.

<Callout type="tip" title="Wees open">
  Vertel inwoners wat je meet.
</Callout>

<Figure caption="Een telpaal langs het fietspad.">
  ![Een kleurverloop van groen naar oranje met twee lichte vormen](./sensoren-in-de-straat/illustratie.jpg)
</Figure>
`);
    // The image is stored in the part's own folder.
    expect(
      readFileSync(join(e2eContentDir, 'posts/slimme-stad/sensoren-in-de-straat/illustratie.jpg')).equals(
        readFileSync(image),
      ),
    ).toBe(true);
    expect(await validateContent(e2eContentDir, { now: new Date() }), 'npm run check').toEqual([]);

    // Away from the editor: the dev server reloads its pages while the build writes .astro/.
    await page.goto('about:blank');
    const build = buildSite(e2eContentDir);
    try {
      expect(build.status, build.output).toBe(0);
      await page.setContent(readFileSync(join(build.outDir, 'client/slimme-stad/index.html'), 'utf8'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Slimme stad');
      const parts = page.getByRole('list', { name: 'Delen van de reeks Slimme stad' }).getByRole('link');
      await expect(parts).toHaveText(['Sensoren in de straat']);
      await expect(parts).toHaveAttribute('href', '/slimme-stad/sensoren-in-de-straat/');
      await page.setContent(
        readFileSync(join(build.outDir, 'client/slimme-stad/sensoren-in-de-straat/index.html'), 'utf8'),
      );
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sensoren in de straat');
      await expect(page.getByText('Deel 1 van 1', { exact: true })).toBeVisible();
      await expect(page.getByRole('note')).toContainText('Vertel inwoners wat je meet.');
      const picture = page.getByRole('figure', { name: 'Een telpaal langs het fietspad.' }).getByRole('img');
      await expect(picture).toHaveAccessibleName(
        'Een kleurverloop van groen naar oranje met twee lichte vormen',
      );
      await expect(picture).toHaveAttribute('src', /\.webp$/);
    } finally {
      removeTemporaryBuilds();
    }
  });

  test("a save that would break the content is refused with the check's message", async ({ page }) => {
    await openEditor(page, '/keystatic/collection/parts-digitale-transformatie/create');
    await page.getByRole('textbox', { name: 'Titel', exact: true }).fill('Nog een eerste deel');
    await page.getByRole('textbox', { name: 'Beschrijving' }).fill('Een deel met een nummer dat al bestaat.');
    await page.getByRole('textbox', { name: 'Deel' }).fill('1');
    await page.getByRole('checkbox', { name: /^Concept/ }).uncheck();
    await page.getByRole('button', { name: 'Aanmaken' }).click();

    await expect(page.getByText(/Niet opgeslagen/)).toContainText(
      'deel 1 van reeks "digitale-transformatie" bestaat twee keer',
    );
    expect(existsSync(join(e2eContentDir, made.refused))).toBe(false);
    // Nothing the editor typed is lost: the form is still filled in.
    await expect(page.getByRole('textbox', { name: 'Titel', exact: true })).toHaveValue(
      'Nog een eerste deel',
    );
  });
});

test.describe('the production site', () => {
  test('has no editor and no editor API', async ({ request }) => {
    for (const url of [
      '/keystatic/',
      '/keystatic/collection/posts',
      '/api/keystatic/tree/',
      '/api/keystatic/github/login/',
      '/admin/',
    ]) {
      expect((await request.get(url)).status(), url).toBe(404);
    }
    // Code of the editor, not its name: the accessibility statement names Keystatic in its text.
    const editorCode = { js: /keystatic|react-dom/i, html: /\/keystatic|@keystatic|react-dom/i };
    const built = readdirSync('dist-test', { recursive: true, encoding: 'utf8' }).filter((file) =>
      /\.(m?js|html)$/.test(file),
    );
    expect(
      built.filter((file) =>
        editorCode[file.endsWith('.html') ? 'html' : 'js'].test(
          readFileSync(join('dist-test', file), 'utf8'),
        ),
      ),
    ).toEqual([]);
  });
});
