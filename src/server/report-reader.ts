// How the server reads the report so that pages, the collector and the forms are served while it
// is counted. On SQLite, whose queries hold up the thread they run on: on a worker thread
// (report-worker.ts) with its own read-only connection; a database in memory (tests) has no
// second connection, its report is read on the spot. On PostgreSQL the server does the counting
// and the pool waits for it off the event loop: the report is read on the Database itself.
import { Worker } from 'node:worker_threads';
import type { Period } from '../lib/period.ts';
import type { Report } from '../lib/report-figures.ts';
import type { Database } from './database.ts';
import { readReport, type ReportOptions } from './report.ts';

export type ReportReader = (period: Period, options?: ReportOptions) => Promise<Report>;

// Not a literal in `new URL`, so no bundler copies it: only the server `npm start` runs from
// src/ (and `npm run dev`) makes a reader.
const workerFile = './report-worker.ts';

/** `sqlitePath`: the SQLite file under `database`; undefined on PostgreSQL. */
export function createReportReader(database: Database, sqlitePath: string | undefined): ReportReader {
  if (sqlitePath === undefined || sqlitePath === ':memory:')
    return (period, options) => readReport(database, period, options);
  const path = sqlitePath;
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (report: Report) => void; reject: (error: Error) => void }>();

  function start(): Worker {
    const started = new Worker(new URL(workerFile, import.meta.url), { workerData: { path } });
    // An idle worker never keeps the process from exiting.
    started.unref();
    started.on('message', ({ id, report, error }: { id: number; report?: Report; error?: string }) => {
      const call = pending.get(id);
      pending.delete(id);
      if (error !== undefined) call?.reject(new Error(`The report could not be read: ${error}`));
      else call?.resolve(report!);
    });
    const fail = (error: Error) => {
      worker = undefined;
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`The report's worker stopped (exit code ${code})`)));
    return started;
  }

  return (period, options = {}) =>
    new Promise<Report>((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, period, options });
    });
}
