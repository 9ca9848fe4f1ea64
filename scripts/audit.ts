// `npm run audit`: Lighthouse (mobile settings) on the home page, the series page and a part of
// the production build, served locally, in Debian's Chromium or CHROME_PATH. Prints a table.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const port = Number(process.env.AUDIT_PORT ?? 4480);
const origin = `http://localhost:${port}`;
const pages = {
  Home: '/',
  Reeks: '/digitale-transformatie/',
  Deel: '/digitale-transformatie/de-impact-op-het-informatiebeleid/',
};
const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

if (!existsSync('dist/server/entry.mjs')) {
  console.error('No production build: run `npm run build` first.');
  process.exit(1);
}

const server = spawn(process.execPath, ['dist/server/entry.mjs'], {
  env: { ...process.env, PORT: String(port), HOST: 'localhost' },
  stdio: 'ignore',
});
for (let attempt = 0; attempt < 50; attempt++) {
  if (
    await fetch(origin).then(
      () => true,
      () => false,
    )
  )
    break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

const rows: string[] = [];
try {
  for (const [name, path] of Object.entries(pages)) {
    const result = await lighthouse(`${origin}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: [...categories],
    });
    const lhr = result!.lhr;
    const scores = categories.map((category) => Math.round((lhr.categories[category]?.score ?? 0) * 100));
    rows.push(`| ${name} | ${path} | ${scores.join(' | ')} |`);
    for (const category of categories) {
      for (const ref of lhr.categories[category]!.auditRefs) {
        const audit = lhr.audits[ref.id]!;
        if (ref.weight > 0 && audit.score !== null && audit.score < 1)
          console.error(`  ${name}: ${category}: ${audit.title}`);
      }
    }
  }
} finally {
  chrome.kill();
  server.kill();
}

console.log(`| page | path | performance | accessibility | best practices | SEO |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`);
