// `npm run bench`: size and speed targets of the production build, printed as a table. Exits
// with 1 when a target is missed. Builds into a temporary folder; dist/ is left alone.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, startServer } from './fixtures/server.ts';

interface Row {
  what: string;
  measured: string;
  target: string;
  ok: boolean;
}

const rows: Row[] = [];
const outDir = buildSite();
const dataDir = mkdtempSync(join(tmpdir(), 'reeks-bench-'));

try {
  // The tracking script as the browser receives it.
  const assets = join(outDir, 'client', '_astro');
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const tracking = scripts.filter((name) => name.startsWith('ContactCta.'));
  const gzipped = tracking.reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
  rows.push({ what: 'tracking script, gzipped', measured: `${gzipped} B`, target: '< 1024 B', ok: tracking.length === 1 && gzipped < 1024 });
  rows.push({ what: 'JavaScript files in the build', measured: String(scripts.length), target: '1', ok: scripts.length === 1 });

  // The collector: concurrent events against a real database file (synchronous=FULL), sent as
  // the browser's sendBeacon sends them.
  const server = await startServer(outDir, { REEKS_DB_PATH: join(dataDir, 'site.db'), REEKS_EVENTS_PER_MINUTE: '1000000' });
  const event = JSON.stringify({
    type: 'contact_click',
    channel: 'email',
    path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
    author: 'job-coenen',
    series: 'digitale-transformatie',
    part: 2,
  });
  const post = async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/events/`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: server.url }, body: event });
    return { status: response.status, ms: performance.now() - started };
  };

  const concurrent = 1000;
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: concurrent }, post));
  const seconds = (performance.now() - started) / 1000;
  const stored = results.filter((result) => result.status === 201).length;
  rows.push({ what: `${concurrent} concurrent events stored`, measured: String(stored), target: String(concurrent), ok: stored === concurrent });
  rows.push({ what: 'events per second, concurrent', measured: Math.round(concurrent / seconds).toString(), target: '≥ 200', ok: concurrent / seconds >= 200 });

  const sequential: number[] = [];
  for (let i = 0; i < 200; i++) sequential.push((await post()).ms);
  sequential.sort((a, b) => a - b);
  const p95 = sequential[Math.floor(sequential.length * 0.95)]!;
  rows.push({ what: 'one event, p95 response time', measured: `${p95.toFixed(1)} ms`, target: '< 50 ms', ok: p95 < 50 });
  await server.stop();
} finally {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}

const widths = (['what', 'measured', 'target'] as const).map((key) => Math.max(key.length, ...rows.map((row) => row[key].length)));
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['what', 'measured', 'target', 'ok']));
console.log(line(widths.map((width) => '-'.repeat(width)).concat('--')));
for (const row of rows) console.log(line([row.what, row.measured, row.target, row.ok ? 'yes' : 'NO']));
process.exit(rows.every((row) => row.ok) ? 0 : 1);
