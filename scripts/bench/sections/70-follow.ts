// The outbox at full pace: 10,000 followers of one series and a new part queued for them, sent by
// the server's outbox (e2e/fixtures/outbox-sender.ts, as `npm start` makes it) to the local SMTP
// sink, with the sending process's memory sampled throughout: the outbox is read a batch at a
// time, so memory at 10,000 mails should be what it was at 1,000.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { addFollowers, publishPart2, writeFollowManifest } from '../../../e2e/fixtures/followers.ts';
import { startSmtpSink } from '../../../e2e/fixtures/smtp-sink.ts';
import { databaseOf, openDatabase } from '../../../src/server/db.ts';
import { followForm } from '../../../src/site.config.ts';
import { mb, work, type BenchSection } from '../shared.ts';

const followers = 10_000;

const rssOf = (pid: number) => {
  try {
    return 1024 * Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

export const section: BenchSection = {
  name: 'follow',
  title: 'Mail to followers',
  async run() {
    const dir = join(work, 'follow');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const database = join(dir, 'reeks.db');
    const db = openDatabase(database);
    await addFollowers(databaseOf(db), followers);
    await publishPart2(databaseOf(db));
    db.close();
    const manifest = writeFollowManifest(dir);

    // Memory (resident, and the heap the process reports) at the first mail, at 1,000, at the end; and the peak.
    const marks = [1, 1_000, 2_500, 5_000, 7_500, followers];
    const at = new Map<number, { rss: number; heap: number }>();
    let heap = 0;
    let peakRss = 0;
    let peakHeap = 0;
    let pid = 0;
    let firstAt = 0;
    const sample = () => ({ rss: rssOf(pid), heap });
    const sink = await startSmtpSink(undefined, {
      onArrived(count) {
        if (count === 1) firstAt = performance.now();
        if (marks.includes(count)) at.set(count, sample());
      },
    });
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        '--expose-gc',
        'e2e/fixtures/outbox-sender.ts',
        manifest,
        '--memory',
      ],
      {
        env: {
          ...process.env,
          REEKS_DB_PATH: database,
          REEKS_SECRET: 'a-secret-for-the-follow-benchmark-only',
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(sink.port),
          SMTP_FROM: 'Reeks <noreply@example.com>',
          REEKS_MAILS_PER_MINUTE: '100000000',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    pid = child.pid!;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      for (const [, bytes] of String(chunk).matchAll(/^heap (\d+)$/gm)) {
        heap = Number(bytes);
        peakHeap = Math.max(peakHeap, heap);
      }
    });
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 100);
    const exited = once(child, 'exit');
    // A sender that stops (a mistake in its environment) ends the section rather than the wait.
    await Promise.race([
      sink.waitFor(followers, 30 * 60_000),
      exited.then(() => {
        throw new Error(`the outbox stopped before sending everything:\n${output}`);
      }),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const sendingSeconds = (performance.now() - firstAt) / 1000;
    clearInterval(sampler);
    child.kill('SIGTERM');
    await exited;
    await sink.close();
    const distinct = new Set(sink.mails.map((mail) => mail.envelopeTo[0])).size;
    const progress = output.split('\n').filter((line) => line.startsWith('Mail for part'));
    const row = (name: string, figure: { rss: number; heap: number }) =>
      `| ${name} | ${mb(figure.rss)} MB | ${mb(figure.heap)} MB |`;

    return `${followers.toLocaleString('en')} confirmed followers of one series and a new part queued for them in a real
SQLite file; the server's outbox (\`e2e/fixtures/outbox-sender.ts\`: the configuration, context and
sender as \`npm start\` makes them) sends them to the local SMTP sink (\`e2e/fixtures/smtp-sink.ts\`,
in the benchmark's own process, parsing every mail) with \`REEKS_MAILS_PER_MINUTE=100000000\`, one
SMTP connection, batches of ${followForm.batchSize}, each mail marked sent in its own commit. The sending process's
resident memory is read from /proc every 100 ms; its heap kept (\`process.memoryUsage()\` after a full
collection, \`--expose-gc\`) every second; the collections cost some of the pace.
${distinct.toLocaleString('en')} distinct recipients received ${sink.mails.length.toLocaleString('en')} mails.

| measure | value |
| --- | --- |
| time, start of the process to the last mail | ${seconds.toFixed(1)} s |
| mails per second, first mail to last | ${Math.round(followers / sendingSeconds).toLocaleString('en')} |
| peak resident memory / heap | ${mb(peakRss)} MB / ${mb(peakHeap)} MB |

| sending process at | resident | heap |
| --- | --- | --- |
${marks.map((count) => row(count === 1 ? 'the first mail' : `${count.toLocaleString('en')} mails`, at.get(count)!)).join('\n')}

The last progress line of the log: \`${progress.at(-1) ?? '(none)'}\`
`;
  },
};
