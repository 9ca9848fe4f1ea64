// Removes the run's events database (see playwright.config.ts).
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default function globalTeardown() {
  if (process.env.E2E_DB_PATH) rmSync(dirname(process.env.E2E_DB_PATH), { recursive: true, force: true });
}
