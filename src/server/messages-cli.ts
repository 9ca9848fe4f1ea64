// `npm run messages`: the messages readers left, newest first, in the terminal. Reads the same
// database as the server (REEKS_DB_PATH) and first deletes what is past the retention, as the
// server does every hour.
import { messages, site } from '../site.config.ts';
import { openExistingDatabase } from './db.ts';
import { deleteOldMessages, readMessages } from './message-store.ts';
import { messagesText } from './report-format.ts';

const db = openExistingDatabase();
try {
  deleteOldMessages(db, messages.retentionDays, new Date());
  console.log(messagesText(readMessages(db), site.timeZone, messages.retentionDays));
} finally {
  db.close();
}
