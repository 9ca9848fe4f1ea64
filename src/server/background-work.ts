// The server's work for the whole host rather than for a request: the build's pages recorded, the
// parts this release is the first to hold recorded and their mails queued, the outbox sending
// (after marking what a stopped process left 'sending' as in doubt), and deleting old messages
// and mails every hour. `npm start` runs it in exactly one worker at a time, never in two at once
// (src/server/workers.ts says in what order): two outboxes would each take the other's rows
// 'sending' for a stopped process's, and two recordings of a release would both queue its mails.
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import type { ServerContext } from './context.ts';
import { syncPages } from './event-store.ts';
import { recordRelease } from './follow-store.ts';
import { deleteOldMails } from './mail-retention.ts';
import { deleteOldMessages } from './message-store.ts';
import { resumeOutbox } from './outbox.ts';
import { startReportSchedule, type ReportSchedule } from './report-mail.ts';
import { followForm, messageForm } from '../site.config.ts';

function deleteOldMessagesNow(context: ServerContext) {
  const { database, config } = context;
  return async () => {
    try {
      const deleted = await database.transaction(async (tx) => {
        await deleteOldMails(tx, followForm.mailRecordDays, new Date());
        return deleteOldMessages(tx, config.messageRetentionDays, new Date());
      });
      if (deleted > 0)
        console.log(`Deleted ${deleted} message(s) older than ${config.messageRetentionDays} days.`);
    } catch (error) {
      console.error(`Could not delete old messages (trying again in an hour): ${(error as Error).message}`);
    }
  };
}

/**
 * The parts this release is the first to hold, recorded, and their mails queued to the series'
 * followers (src/server/follow-store.ts). The first release a database ever sees is recorded
 * without mail.
 */
async function recordThisRelease(context: ServerContext, buildDir: string) {
  const { database, manifest } = context;
  // releases/<moment> under `current`, or the build folder's own name.
  const release = basename(realpathSync(buildDir));
  const parts = (manifest.followSeries ?? []).flatMap((series) => series.parts);
  try {
    const recorded = await database.transaction((tx) =>
      recordRelease(tx, { release, parts, now: new Date() }),
    );
    if (recorded.first)
      console.log(`Publications: ${parts.length} part(s) of release ${release} recorded, no mail for those.`);
    for (const part of recorded.first ? [] : recorded.newParts)
      console.log(`New part: part ${part.part} of ${part.series}, first in release ${release}.`);
    if (recorded.queued > 0)
      console.log(`Mail queued for ${recorded.queued.toLocaleString('en-US')} follower(s).`);
    // Always one line once the release is recorded: an operator (and a test) sees it was.
    if (!recorded.first)
      console.log(`Publications: release ${release} holds ${recorded.newParts.length} new part(s).`);
  } catch (error) {
    console.error(
      `Could not record the parts of this release (next start tries again): ${(error as Error).message}`,
    );
  }
}

export interface BackgroundWork {
  /**
   * Ends the work: no more deleting, and the outbox stops after the mail being sent (finished and
   * marked; the rest of its batch goes back to the queue). Resolves false when a send hung for
   * longer than 10 s: that mail is in doubt for the next start.
   */
  stop(): Promise<boolean>;
}

/** Starts the host's background work on a database that has passed its check (src/server/db-watch.ts). */
export function startBackgroundWork(context: ServerContext, buildDir: string): BackgroundWork {
  const { database, manifest, outbox } = context;
  let stopped = false;
  let reportMails: ReportSchedule | undefined;
  const deleteExpired = deleteOldMessagesNow(context);
  // Never the reason the process stays alive.
  const hourly = setInterval(deleteExpired, messageForm.purgeEveryMs).unref();
  const started = (async () => {
    try {
      await syncPages(database, manifest.pages);
    } catch (error) {
      console.error(`Could not record the pages of this build: ${(error as Error).message}`);
    }
    const deleting = deleteExpired();
    await recordThisRelease(context, buildDir);
    if (outbox && !stopped) await resumeOutbox(outbox);
    // The report by e-mail, when REEKS_REPORT_MAIL asks for it (src/server/report-mail.ts).
    if (!stopped) reportMails = startReportSchedule(context, { wake: () => outbox?.wake() });
    await deleting;
  })();
  return {
    async stop() {
      stopped = true;
      clearInterval(hourly);
      await started;
      reportMails?.stop();
      return Promise.race([
        (outbox?.stop() ?? Promise.resolve()).then(() => true),
        new Promise<false>((resolveLate) => setTimeout(resolveLate, 10_000, false).unref()),
      ]);
    },
  };
}
