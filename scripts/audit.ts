// `npm run audit`: Lighthouse (mobile settings) on the home page, the series page and a part of
// the production build, served locally as `npm start` serves it (src/server/start.ts, on a
// database of its own that is removed afterwards), in Debian's Chromium or CHROME_PATH. Prints a table.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

// What `npm start` runs (package.json), with its defaults but for the port and the database:
// the readers' events of the audit go to a file of its own, not to the site's.
const dataDir = mkdtempSync(join(tmpdir(), 'reeks-audit-'));
const server = spawn(
  process.execPath,
  ['--disable-warning=ExperimentalWarning', 'src/server/start.ts', 'dist'],
  {
    env: {
      ...process.env,
      ASTRO_NODE_AUTOSTART: 'disabled',
      PORT: String(port),
      HOST: 'localhost',
      REEKS_DB_PATH: join(dataDir, 'site.db'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let serverOutput = '';
server.stdout.on('data', (chunk) => (serverOutput += chunk));
server.stderr.on('data', (chunk) => (serverOutput += chunk));
const stopServer = () => {
  server.kill();
  rmSync(dataDir, { recursive: true, force: true });
};

const answers = () =>
  fetch(origin).then(
    (response) => response.ok,
    () => false,
  );
const deadline = Date.now() + 30_000;
while (!(await answers())) {
  if (server.exitCode !== null || Date.now() > deadline) {
    console.error(`The server did not start (npm start on dist/):\n${serverOutput}`);
    stopServer();
    process.exit(1);
  }
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
  stopServer();
}

console.log(`| page | path | performance | accessibility | best practices | SEO |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`);
