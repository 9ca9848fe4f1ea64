// `npm run messages`: the messages readers left, newest first, in the terminal. Reads the same
// database as the server (REEKS_DB_PATH) and first deletes what is past the retention, as the
// server does every hour.
//   npm run messages                                   every message
//   npm run messages -- --email lezer@example.nl       the messages left with that address
//   npm run messages -- --email lezer@example.nl --verwijder
//                                                      deletes those, and only those
import { parseArgs } from 'node:util';
import { site } from '../site.config.ts';
import { openExistingDatabase, runCommand } from './command.ts';
import { ConfigError } from './config.ts';
import { transaction } from './db.ts';
import { deleteMessagesFrom, deleteOldMessages, messagesFrom, readMessages } from './message-store.ts';
import { messagesText } from '../lib/report-format.ts';

await runCommand((config) => {
  let options;
  try {
    options = parseArgs({ options: { email: { type: 'string' }, verwijder: { type: 'boolean' } } }).values;
  } catch (error) {
    throw new ConfigError(
      `${(error as Error).message}. Use: npm run messages [-- --email <adres> [--verwijder]]`,
    );
  }
  const email = options.email?.trim();
  if (options.verwijder && !email)
    throw new ConfigError('--verwijder deletes the messages of one address: add --email <adres>.');
  if (options.email !== undefined && !email?.includes('@'))
    throw new ConfigError(`--email needs an e-mail address, not "${options.email}".`);

  const db = openExistingDatabase(config);
  try {
    transaction(db, () => deleteOldMessages(db, config.messageRetentionDays, new Date()));
    if (!email) {
      console.log(messagesText(readMessages(db), site.timeZone, config.messageRetentionDays));
    } else if (options.verwijder) {
      const deleted = transaction(db, () => deleteMessagesFrom(db, email));
      console.log(`${deleted} ${deleted === 1 ? 'bericht' : 'berichten'} van ${email} verwijderd.`);
    } else {
      console.log(
        messagesText(
          messagesFrom(db, email),
          site.timeZone,
          config.messageRetentionDays,
          `Berichten van ${email}`,
        ),
      );
    }
  } finally {
    db.close();
  }
});
