// The worker thread of src/server/db-watch.ts: `PRAGMA quick_check` on a read-only connection of
// its own, so that a large file is checked while the server's thread goes on answering. Posts
// null when the file is whole, or what SQLite found wrong.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

let problem: string | null = null;
try {
  const db = new DatabaseSync(workerData as string, { readOnly: true });
  try {
    const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
    if (rows.length !== 1 || rows[0]!.quick_check !== 'ok')
      problem = rows.map((row) => row.quick_check).join('; ');
  } finally {
    db.close();
  }
} catch (error) {
  problem = (error as Error).message;
}
parentPort!.postMessage(problem);
