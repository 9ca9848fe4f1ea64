// How the server reads the report: on a worker thread (report-worker.ts) with its own read-only
// connection, so pages, the collector and the forms are served while the report is counted. A
// database in memory (tests) has no second connection: its report is read on the spot.
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { Period } from '../lib/period.ts';
import type { Report } from '../lib/report-figures.ts';
import { readReport, type ReportOptions } from './report.ts';

export type ReportReader = (period: Period, options?: ReportOptions) => Promise<Report>;

// Not a literal in `new URL`, so no bundler copies it: only the server `npm start` runs from
// src/ (and `npm run dev`) makes a reader.
const workerFile = './report-worker.ts';

export function createReportReader(db: DatabaseSync, path: string): ReportReader {
  if (path === ':memory:') return async (period, options) => readReport(db, period, options);
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
