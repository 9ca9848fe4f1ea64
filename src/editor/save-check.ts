// The content check on every save from the browser editor: a save that would add a problem is
// refused with the check's own messages, so what the editor writes always passes `npm run check`
// and the production build. Problems that were there before the save do not block it.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { editorPath, validateContent, type ContentProblem } from '../lib/content-validation.ts';

/** What Keystatic sends to save: files to write and files to delete, relative to the content folder. */
export interface ContentChange {
  additions: { path: string; contents: Uint8Array }[];
  deletions: { path: string }[];
}

/** Problems with paths as editors see them, without line numbers (an edit moves lines). */
function keysOf(problems: readonly ContentProblem[], dir: string, shownAs: string) {
  return problems.map((problem) => {
    const file = join(shownAs, relative(resolve(dir), resolve(problem.file)));
    const message = problem.message.replaceAll(editorPath(dir), shownAs);
    return { problem: { ...problem, file, message }, key: `${file}\n${problem.field}\n${message}` };
  });
}

/** The problems `change` would add to the content in `contentDir`, without touching it. */
export async function problemsAddedBy(
  contentDir: string,
  change: ContentChange,
  now = new Date(),
): Promise<ContentProblem[]> {
  const staging = mkdtempSync(join(tmpdir(), 'reeks-save-'));
  try {
    cpSync(contentDir, staging, { recursive: true });
    for (const { path } of change.deletions) rmSync(inside(staging, path), { force: true });
    for (const { path, contents } of change.additions) {
      const target = inside(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, contents);
    }
    const shownAs = editorPath(contentDir);
    const [before, after] = await Promise.all([
      validateContent(contentDir, { now }).then((problems) => keysOf(problems, contentDir, shownAs)),
      validateContent(staging, { now }).then((problems) => keysOf(problems, staging, shownAs)),
    ]);
    const existing = new Set(before.map(({ key }) => key));
    return after.filter(({ key }) => !existing.has(key)).map(({ problem }) => problem);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** `path` inside `dir`; anything that would escape it is refused. */
function inside(dir: string, path: string): string {
  const target = resolve(dir, path);
  if (!target.startsWith(resolve(dir) + sep)) throw new Error(`Path outside the content folder: ${path}`);
  return target;
}
