// A PostgreSQL cluster of a test's own, for the tests that stop the database under a running
// server: the shared one of `.ci/postgres` serves every other test file meanwhile. A password on
// 127.0.0.1, fsync off (on for the benchmark), data in a temporary folder; as root it runs as the `postgres` user
// (initdb refuses root), as `.ci/postgres` does.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/fixtures/server.ts';

/** The newest installed server's programs, or undefined. */
export function postgresBinaries(): string | undefined {
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    return versions.length ? `/usr/lib/postgresql/${versions[0]}/bin` : undefined;
  } catch {
    return undefined;
  }
}

export interface PrivateCluster {
  url: string;
  stop(): void;
  start(): void;
  remove(): void;
}

/**
 * `durable`: fsync on, as a production server runs, for the benchmark; the tests leave it off,
 * since their cluster is thrown away.
 */
export async function startPrivateCluster({ durable = false } = {}): Promise<PrivateCluster> {
  const bin = postgresBinaries();
  if (!bin)
    throw new Error('PostgreSQL is not installed: run the tests through .ci/postgres, which installs it.');
  const root = process.getuid?.() === 0;
  const postgresUser = root ? Number(execFileSync('id', ['-u', 'postgres']).toString()) : userInfo().uid;
  const run = (program: string, args: string[]) =>
    execFileSync(
      root ? 'runuser' : join(bin, program),
      root ? ['-u', 'postgres', '--', join(bin, program), ...args] : args,
      {
        stdio: 'pipe',
      },
    );
  const dir = mkdtempSync(join(tmpdir(), 'reeks-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  execFileSync('mkdir', ['-m', '0700', data]);
  chownSync(data, postgresUser, -1);
  // A password over TCP, as a real server asks, so a test can give a wrong one.
  const password = randomBytes(12).toString('hex');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, password, { mode: 0o644 });
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    `--pwfile=${passwordFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${data} -c fsync=${durable ? 'on' : 'off'} -c max_connections=200`;
  const start = () =>
    run('pg_ctl', ['start', '-D', data, '-o', options, '-l', join(data, 'server.log'), '-w', '-s']);
  const stop = () => run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-s']);
  start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    start,
    stop,
    remove() {
      try {
        stop();
      } catch {
        // Stopped already.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
