// `npm run preview-link` as an operator runs it: on a build folder, with the server's environment.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewKey, type PreviewIndex } from '../lib/previews.ts';
import { checkPreviewToken, tokenOfPath } from './preview-links.ts';
import { deriveKeys } from './secrets.ts';

const secret = 'een geheim van tweeëndertig tekens of meer voor de test';
const draftId = 'testreeks/derde-deel';
let folder: string;

function run(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', 'src/server/preview-link-cli.ts', ...args],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        REEKS_SECRET: secret,
        REEKS_DB_PATH: join(folder, 'site.db'),
        SITE_URL: 'https://reeks.example.nl',
      },
    },
  );
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'reeks-preview-cli-'));
  mkdirSync(join(folder, 'build', 'server', 'previews'), { recursive: true });
  const index: PreviewIndex = {
    previews: [
      {
        id: draftId,
        key: previewKey(draftId),
        title: 'Derde deel',
        url: '/testreeks/derde-deel/',
        date: '2021-03-10',
        draft: true,
      },
    ],
    published: { 'testreeks/eerste-deel': '/testreeks/eerste-deel/' },
  };
  writeFileSync(join(folder, 'build', 'server', 'previews', 'index.json'), JSON.stringify(index));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('npm run preview-link', () => {
  it('prints a link signed with the server secret, on the site address, for the days asked', () => {
    const { status, stdout } = run('derde-deel', '--dagen', '3', '--build', join(folder, 'build'));
    expect(status).toBe(0);
    const link = new URL(stdout);
    expect(link.origin).toBe('https://reeks.example.nl');
    const check = checkPreviewToken(deriveKeys(secret), tokenOfPath(link.pathname), new Date());
    expect(check.kind).toBe('valid');
    if (check.kind !== 'valid') return;
    expect(check.postId).toBe(draftId);
    const days = (check.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.99);
    expect(days).toBeLessThanOrEqual(3);
  });

  it('says in one line what is wrong, with exit code 1', () => {
    const build = ['--build', join(folder, 'build')];
    for (const [args, says] of [
      [['derde-deel', '--dagen', '31', ...build], /--dagen must be a whole number from 1 to 30/],
      [
        ['eerste-deel', ...build],
        /is published already: https:\/\/reeks\.example\.nl\/testreeks\/eerste-deel\//,
      ],
      [['vierde-deel', ...build], /is no draft or scheduled post/],
      [[...build], /Name one draft or scheduled post/],
      [['derde-deel', '--build', join(folder, 'elders')], /No build in/],
    ] as const) {
      const { status, stderr } = run(...args);
      expect(status, args.join(' ')).toBe(1);
      expect(stderr.split('\n'), args.join(' ')).toHaveLength(1);
      expect(stderr).toMatch(says);
    }
  });
});
