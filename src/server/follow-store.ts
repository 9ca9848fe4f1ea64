// Followers, confirmation requests and publications in the database (schema in src/server/db.ts).
// Every function here runs inside the caller's transaction; times are ISO 8601 UTC text.
import type { DatabaseSync } from 'node:sqlite';

const iso = (time: Date | number) => new Date(time).toISOString();

function countDay(
  db: DatabaseSync,
  day: string,
  series: string,
  column: 'requested' | 'confirmed' | 'unsubscribed',
  by = 1,
) {
  db.prepare(
    `INSERT INTO follow_days (day, series, ${column}) VALUES (?, ?, ?)
     ON CONFLICT (day, series) DO UPDATE SET ${column} = ${column} + excluded.${column}`,
  ).run(day, series, by);
}

/**
 * Records that a confirmation mail for this series goes to the address with this key, unless one
 * went there in the last `perAddressMs`: then 'too-many', and nothing changes. Per series, so a
 * reader can follow two series in a day; the site's series are few, so a mailbox still gets
 * no more than a handful. Requests past their link's lifetime
 * are deleted on the way.
 */
export function recordFollowRequest(
  db: DatabaseSync,
  request: {
    addressKey: string;
    series: string;
    now: Date;
    day: string;
    perAddressMs: number;
    linkMs: number;
  },
): 'recorded' | 'too-many' {
  const { addressKey, series, now, day } = request;
  db.prepare('DELETE FROM follow_requests WHERE expires_at <= ?').run(iso(now));
  const recent = db
    .prepare(
      'SELECT 1 FROM follow_requests WHERE address_key = ? AND series = ? AND requested_at > ? LIMIT 1',
    )
    .get(addressKey, series, iso(now.getTime() - request.perAddressMs));
  if (recent) return 'too-many';
  db.prepare(
    'INSERT INTO follow_requests (address_key, series, requested_at, expires_at) VALUES (?, ?, ?, ?)',
  ).run(addressKey, series, iso(now), iso(now.getTime() + request.linkMs));
  countDay(db, day, series, 'requested');
  return 'recorded';
}

/** Makes the address a follower of the series; 'already' when it was one. */
export function confirmFollower(
  db: DatabaseSync,
  follower: { addressKey: string; email: string; series: string; from: string; now: Date; day: string },
): 'confirmed' | 'already' {
  const result = db
    .prepare(
      `INSERT INTO followers (address_key, email, series, confirmed_at, source_path) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (address_key, series) DO NOTHING`,
    )
    .run(follower.addressKey, follower.email, follower.series, iso(follower.now), follower.from);
  if (result.changes === 0) return 'already';
  countDay(db, follower.day, follower.series, 'confirmed');
  return 'confirmed';
}

/**
 * Ends the follows of this address: of one series, or of all when `series` is undefined. Mails
 * not yet sent to it are dropped; the rows of mails sent stay for the report's counts, with the
 * address's key replaced, so nothing links them to the address any more. Returns the series left.
 */
export function unsubscribe(
  db: DatabaseSync,
  { addressKey, series, day }: { addressKey: string; series?: string; day: string },
): string[] {
  const rows = db
    .prepare(`SELECT id, series FROM followers WHERE address_key = ?${series ? ' AND series = ?' : ''}`)
    .all(...(series ? [addressKey, series] : [addressKey])) as { id: number; series: string }[];
  for (const row of rows) {
    db.prepare("DELETE FROM outbox WHERE follower_id = ? AND state IN ('pending', 'failed')").run(row.id);
    db.prepare(
      "UPDATE outbox SET recipient = 'afgemeld:' || id, follower_id = NULL WHERE follower_id = ?",
    ).run(row.id);
    db.prepare('DELETE FROM followers WHERE id = ?').run(row.id);
    countDay(db, day, row.series, 'unsubscribed');
  }
  return rows.map((row) => row.series);
}

/** Whether this address follows the series (for the unsubscribe page's wording). */
export function follows(db: DatabaseSync, addressKey: string, series: string): boolean {
  return Boolean(
    db.prepare('SELECT 1 FROM followers WHERE address_key = ? AND series = ?').get(addressKey, series),
  );
}

export interface FollowerRecord {
  series: string;
  confirmedAt: string;
  sourcePath: string;
  failing: boolean;
  /** Mails to this address in the outbox: sent, waiting, failed or in doubt. */
  mails: number;
}

/** Everything kept for one address, for `npm run messages -- --email`. */
export function followerRecords(db: DatabaseSync, addressKey: string): FollowerRecord[] {
  return (
    db
      .prepare(
        `SELECT f.series, f.confirmed_at AS confirmedAt, f.source_path AS sourcePath,
                f.failing_at IS NOT NULL AS failing,
                (SELECT COUNT(*) FROM outbox o WHERE o.follower_id = f.id) AS mails
         FROM followers f WHERE f.address_key = ? ORDER BY f.series`,
      )
      .all(addressKey) as unknown as (Omit<FollowerRecord, 'failing'> & { failing: number })[]
  ).map((row) => ({ ...row, failing: row.failing === 1 }));
}

/**
 * Deletes everything kept for one address: its follows, its mails in the outbox (sent or not),
 * and its pending confirmation requests. Returns how many rows went.
 */
export function deleteAddress(db: DatabaseSync, addressKey: string): { followers: number; mails: number } {
  const mails =
    Number(
      db
        .prepare(
          'DELETE FROM outbox WHERE recipient = ? OR follower_id IN (SELECT id FROM followers WHERE address_key = ?)',
        )
        .run(addressKey, addressKey).changes,
    ) || 0;
  db.prepare('DELETE FROM follow_requests WHERE address_key = ?').run(addressKey);
  const followers = Number(db.prepare('DELETE FROM followers WHERE address_key = ?').run(addressKey).changes);
  return { followers, mails };
}

/** A part of a series as the build's site manifest lists it (src/server/context.ts). */
export interface PublishedPart {
  series: string;
  seriesTitle: string;
  part: number;
  /** How many parts the series has, announced ones included: the N of "Deel X van N". */
  ofParts: number;
  path: string;
  title: string;
  description: string;
}

export interface ReleaseRecord {
  /** True when this database had never seen a release: its parts are recorded without mail. */
  first: boolean;
  /** Parts this release is the first to hold. */
  newParts: PublishedPart[];
  /** Part mails queued for them. */
  queued: number;
}

/**
 * Records the parts of the release being served that no earlier release held, and queues one
 * mail for each of them to every follower of its series who confirmed before now (and is not
 * failing). Run in one transaction, so two servers starting on the same release queue once; the
 * outbox's unique (recipient, cause) makes a second queueing of the same part a no-op anyway.
 */
export function recordRelease(
  db: DatabaseSync,
  { release, parts, now }: { release: string; parts: readonly PublishedPart[]; now: Date },
): ReleaseRecord {
  const first = !db.prepare('SELECT 1 FROM publications LIMIT 1').get();
  const known = db.prepare('SELECT 1 FROM publications WHERE series = ? AND part = ?');
  const insert = db.prepare(
    `INSERT INTO publications (series, part, path, title, description, series_title, of_parts, release, published_at, mailed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const queue = db.prepare(
    `INSERT INTO outbox (recipient, cause, kind, priority, follower_id, series, part, next_try_at, created_at)
     SELECT address_key, ?, 'part', 2, id, series, ?, ?, ? FROM followers
     WHERE series = ? AND confirmed_at < ? AND failing_at IS NULL
     ON CONFLICT (recipient, cause) DO NOTHING`,
  );
  const newParts: PublishedPart[] = [];
  let queued = 0;
  for (const part of parts) {
    if (known.get(part.series, part.part)) continue;
    newParts.push(part);
    insert.run(
      part.series,
      part.part,
      part.path,
      part.title,
      part.description,
      part.seriesTitle,
      part.ofParts,
      release,
      iso(now),
      first ? 0 : 1,
    );
    if (!first)
      queued += Number(
        queue.run(`part:${part.series}:${part.part}`, part.part, iso(now), iso(now), part.series, iso(now))
          .changes,
      );
  }
  return { first, newParts, queued };
}
