// The report's queries on a thread of their own (src/server/report-reader.ts): node:sqlite is
// synchronous, so a report over a large period would otherwise hold up every other request.
// Reads through its own read-only connection to the server's database; WAL lets it read while
// the server writes.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import type { Period } from '../lib/period.ts';
import { sqliteDatabase } from './database.ts';
import { readReport, type ReportOptions } from './report.ts';

const database = sqliteDatabase(new DatabaseSync((workerData as { path: string }).path, { readOnly: true }));

parentPort!.on(
  'message',
  ({ id, period, options }: { id: number; period: Period; options: ReportOptions }) => {
    readReport(database, period, options).then(
      (report) => parentPort!.postMessage({ id, report }),
      (error: Error) => parentPort!.postMessage({ id, error: error.message }),
    );
  },
);
