import { diffWords } from "diff";

export type DiffPart = { value: string; added: boolean; removed: boolean };
type Editor = { handle: string; displayName: string; expertIn?: { slug: string; name: string }[] };
export type RevisionInput = { revision: number; title: string | null; bodyText: string; reason: string; createdAt: Date; editor: Editor };
export type RevisionWithDiff = { revision: number; reason: string; createdAt: string; editor: Editor; parts: DiffPart[] };

/**
 * Revisions (oldest first in) as the history pages show them (newest first out): each with a word
 * diff of its title and plain text against the revision before it. Used for posts and articles.
 */
export function withWordDiffs(revisions: readonly RevisionInput[]): RevisionWithDiff[] {
  const textOf = (r: RevisionInput) => `${r.title ? `${r.title}\n\n` : ""}${r.bodyText}`;
  return revisions
    .map((r, i) => {
      const before = revisions[i - 1];
      const text = textOf(r);
      return {
        revision: r.revision,
        reason: r.reason,
        createdAt: r.createdAt.toISOString(),
        editor: { handle: r.editor.handle, displayName: r.editor.displayName, expertIn: r.editor.expertIn },
        parts: before ? diffWords(textOf(before), text).map((p) => ({ value: p.value, added: !!p.added, removed: !!p.removed })) : [{ value: text, added: false, removed: false }],
      };
    })
    .reverse();
}
