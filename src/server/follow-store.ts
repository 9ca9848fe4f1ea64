// Followers, confirmation requests and publications in the database (schema in src/server/db.ts
// and postgres-schema.ts). Every function here runs inside the caller's transaction (`tx`), on
// SQLite or PostgreSQL alike; times are ISO 8601 UTC text.
import type { Sql } from './database.ts';

const iso = (time: Date | number) => new Date(time).toISOString();

/** An upsert: two processes counting the same day at once both count (the row's key decides). */
async function countDay(
  sql: Sql,
  day: string,
  series: string,
  column: 'requested' | 'confirmed' | 'unsubscribed',
  by = 1,
) {
  await sql.run(
    `INSERT INTO follow_days (day, series, ${column}) VALUES (?, ?, ?)
     ON CONFLICT (day, series) DO UPDATE SET ${column} = follow_days.${column} + excluded.${column}`,
    [day, series, by],
  );
}

/**
 * Records that a confirmation mail for this series goes to the address with this key, unless one
 * went there in the last `perAddressMs`: then 'too-many', and nothing changes. Per series, so a
 * reader can follow two series in a day; the site's series are few, so a mailbox still gets
 * no more than a handful. Requests past their link's lifetime
 * are deleted on the way.
 */
export async function recordFollowRequest(
  sql: Sql,
  request: {
    addressKey: string;
    series: string;
    now: Date;
    day: string;
    perAddressMs: number;
    linkMs: number;
  },
): Promise<'recorded' | 'too-many'> {
  const { addressKey, series, now, day } = request;
  await sql.run('DELETE FROM follow_requests WHERE expires_at <= ?', [iso(now)]);
  const recent = await sql.get(
    'SELECT 1 AS found FROM follow_requests WHERE address_key = ? AND series = ? AND requested_at > ? LIMIT 1',
    [addressKey, series, iso(now.getTime() - request.perAddressMs)],
  );
  if (recent) return 'too-many';
  await sql.run(
    'INSERT INTO follow_requests (address_key, series, requested_at, expires_at) VALUES (?, ?, ?, ?)',
    [addressKey, series, iso(now), iso(now.getTime() + request.linkMs)],
  );
  await countDay(sql, day, series, 'requested');
  return 'recorded';
}

/** Makes the address a follower of the series; 'already' when it was one. */
export async function confirmFollower(
  sql: Sql,
  follower: { addressKey: string; email: string; series: string; from: string; now: Date; day: string },
): Promise<'confirmed' | 'already'> {
  const result = await sql.run(
    `INSERT INTO followers (address_key, email, series, confirmed_at, source_path) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (address_key, series) DO NOTHING`,
    [follower.addressKey, follower.email, follower.series, iso(follower.now), follower.from],
  );
  if (result.changes === 0) return 'already';
  await countDay(sql, follower.day, follower.series, 'confirmed');
  return 'confirmed';
}

/**
 * Ends the follows of this address: of one series, or of all when `series` is undefined. Mails
 * not yet sent to it are dropped; the rows of mails sent stay for the report's counts, with the
 * address's key replaced, so nothing links them to the address any more. Returns the series left.
 */
export async function unsubscribe(
  sql: Sql,
  { addressKey, series, day }: { addressKey: string; series?: string; day: string },
): Promise<string[]> {
  // FOR UPDATE on PostgreSQL: two unsubscribes of one address at once (a double click, the
  // one-click POST beside the page's button) delete and count each follow once; the second waits,
  // then finds no row. SQLite's write lock already keeps them apart, and it has no FOR UPDATE.
  const rows = await sql.all<{ id: number; series: string }>(
    `SELECT id, series FROM followers WHERE address_key = ?${series ? ' AND series = ?' : ''} ORDER BY id${sql.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
    series ? [addressKey, series] : [addressKey],
  );
  const left: string[] = [];
  for (const row of rows) {
    await sql.run("DELETE FROM outbox WHERE follower_id = ? AND state IN ('pending', 'failed')", [row.id]);
    await sql.run(
      "UPDATE outbox SET recipient = 'afgemeld:' || id, follower_id = NULL WHERE follower_id = ?",
      [row.id],
    );
    if ((await sql.run('DELETE FROM followers WHERE id = ?', [row.id])).changes === 0) continue;
    await countDay(sql, day, row.series, 'unsubscribed');
    left.push(row.series);
  }
  return left;
}

/** Whether this address follows the series (for the unsubscribe page's wording). */
export async function follows(sql: Sql, addressKey: string, series: string): Promise<boolean> {
  return Boolean(
    await sql.get('SELECT 1 AS found FROM followers WHERE address_key = ? AND series = ?', [
      addressKey,
      series,
    ]),
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
export async function followerRecords(sql: Sql, addressKey: string): Promise<FollowerRecord[]> {
  const rows = await sql.all<Omit<FollowerRecord, 'failing'> & { failing: number }>(
    `SELECT f.series, f.confirmed_at AS "confirmedAt", f.source_path AS "sourcePath",
            CASE WHEN f.failing_at IS NOT NULL THEN 1 ELSE 0 END AS failing,
            (SELECT COUNT(*) FROM outbox o WHERE o.follower_id = f.id) AS mails
     FROM followers f WHERE f.address_key = ? ORDER BY f.series`,
    [addressKey],
  );
  return rows.map((row) => ({ ...row, failing: row.failing === 1 }));
}

/**
 * Deletes everything kept for one address: its follows, its mails in the outbox (sent or not),
 * and its pending confirmation requests. Returns how many rows went.
 */
export async function deleteAddress(
  sql: Sql,
  addressKey: string,
): Promise<{ followers: number; mails: number }> {
  const { changes: mails } = await sql.run(
    'DELETE FROM outbox WHERE recipient = ? OR follower_id IN (SELECT id FROM followers WHERE address_key = ?)',
    [addressKey, addressKey],
  );
  await sql.run('DELETE FROM follow_requests WHERE address_key = ?', [addressKey]);
  const { changes: followers } = await sql.run('DELETE FROM followers WHERE address_key = ?', [addressKey]);
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

/** Any number, the same in every process of this site: the key of the lock recordRelease takes. */
const releaseLock = 0x72656c65; // 'rele'

/**
 * Records the parts of the release being served that no earlier release held, and queues one
 * mail for each of them to every follower of its series who confirmed before now (and is not
 * failing). Run it in a transaction (`database.transaction((tx) => recordRelease(tx, …))`).
 *
 * Two processes starting on the same release at once queue once. On SQLite the transaction's write
 * lock already runs them one after the other. On PostgreSQL (READ COMMITTED) both could read "no
 * publications yet" and "this part is new": so the transaction first takes an advisory lock, held
 * until it ends; the second process waits for it, and its statements then see what the first
 * committed (each statement of READ COMMITTED reads what was committed before it began). That
 * decides `first` once, which no row lock could (it is about rows that do not exist yet). A part
 * counts as new only when this process's INSERT … ON CONFLICT DO NOTHING RETURNING inserted it,
 * so even without the lock no part is queued twice; and the outbox's unique (recipient, cause)
 * makes a second queueing of the same part a no-op anyway.
 */
export async function recordRelease(
  sql: Sql,
  { release, parts, now }: { release: string; parts: readonly PublishedPart[]; now: Date },
): Promise<ReleaseRecord> {
  if (sql.dialect === 'postgres') await sql.get('SELECT pg_advisory_xact_lock(?)', [releaseLock]);
  const first = !(await sql.get('SELECT 1 AS found FROM publications LIMIT 1'));
  const newParts: PublishedPart[] = [];
  let queued = 0;
  for (const part of parts) {
    const inserted = await sql.get(
      `INSERT INTO publications (series, part, path, title, description, series_title, of_parts, release, published_at, mailed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series, part) DO NOTHING RETURNING part`,
      [
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
      ],
    );
    if (!inserted) continue;
    newParts.push(part);
    if (!first)
      queued += (
        await sql.run(
          `INSERT INTO outbox (recipient, cause, kind, priority, follower_id, series, part, next_try_at, created_at)
           SELECT address_key, ?, 'part', 2, id, series, ?, ?, ? FROM followers
           WHERE series = ? AND confirmed_at < ? AND failing_at IS NULL
           ON CONFLICT (recipient, cause) DO NOTHING`,
          [`part:${part.series}:${part.part}`, part.part, iso(now), iso(now), part.series, iso(now)],
        )
      ).changes;
  }
  return { first, newParts, queued };
}
