// `npm run messages`: the messages readers left, newest first, in the terminal, and a reader's
// request to see or delete what is kept about their address (src/server/reader-data.ts). Reads
// the same database as the server (REEKS_DB_PATH, or REEKS_DATABASE_URL) and first deletes what is past the retention,
// as the server does every hour.
//   npm run messages                                   every message
//   npm run messages -- --email lezer@example.nl       the messages left with that address, its
//                                                      follows and its mails in the outbox
//   npm run messages -- --email lezer@example.nl --verwijder
//                                                      deletes those, and only those
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { followForm, site } from '../site.config.ts';
import { openExistingStore, runCommand } from './command.ts';
import { ConfigError } from './config.ts';
import { addressKey } from './follow-links.ts';
import { deleteOldMails } from './mail-retention.ts';
import { deleteOldMessages, readMessages } from './message-store.ts';
import { deleteReaderData, readerData, type ReaderAddress } from './reader-data.ts';
import { loadKeys, secretFileOf } from './secrets.ts';
import { messagesText, readerFollowText } from '../lib/report-format.ts';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

await runCommand(async (config) => {
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

  const database = await openExistingStore(config);
  try {
    await database.transaction(async (tx) => {
      await deleteOldMails(tx, followForm.mailRecordDays, new Date());
      await deleteOldMessages(tx, config.messageRetentionDays, new Date());
    });
    if (!email) {
      console.log(messagesText(await readMessages(database), site.timeZone, config.messageRetentionDays));
      return;
    }
    // Follows are kept under the address's keyed hash. Without a secret set or kept beside the
    // database nothing was ever stored so, and none is made here: the server makes its own.
    const keyed = config.secret !== undefined || existsSync(secretFileOf(config.databasePath));
    const address: ReaderAddress = {
      email,
      key: keyed ? addressKey(loadKeys(config), email) : undefined,
    };
    if (options.verwijder) {
      const deleted = await database.transaction((tx) => deleteReaderData(tx, address));
      console.log(`${count(deleted.messages, 'bericht', 'berichten')} van ${email} verwijderd.`);
      console.log(
        `Volgen per e-mail: ${count(deleted.follows, 'volger', 'volgers')}, ${count(deleted.mails, 'mail', 'mails')} ` +
          `in de wachtrij en ${count(deleted.requests, 'aanvraag', 'aanvragen')} verwijderd.`,
      );
    } else {
      const data = await readerData(database, address);
      console.log(
        messagesText(data.messages, site.timeZone, config.messageRetentionDays, `Berichten van ${email}`),
      );
      console.log(`\n${readerFollowText(data, site.timeZone)}`);
    }
  } finally {
    await database.close();
  }
});
