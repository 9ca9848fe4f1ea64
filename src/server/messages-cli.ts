// `npm run messages`: the messages readers left, newest first, in the terminal. Reads the same
// database as the server (REEKS_DB_PATH) and first deletes what is past the retention, as the
// server does every hour.
import { existsSync } from 'node:fs';
import { messages, site } from '../site.config.ts';
import { databasePath, openDatabase } from './db.ts';
import { deleteOldMessages, readMessages } from './message-store.ts';
import { messagesText } from './report-format.ts';

const path = databasePath();
if (!existsSync(path)) {
  console.error(`Geen database op ${path}. Start de site (npm start) of zet REEKS_DB_PATH.`);
  process.exit(1);
}

const db = openDatabase(path);
try {
  deleteOldMessages(db, messages.retentionDays, new Date());
  console.log(messagesText(readMessages(db), site.timeZone, messages.retentionDays));
} finally {
  db.close();
}
