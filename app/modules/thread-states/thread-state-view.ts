import type { CloseReason } from "./thread-states.schema.ts";

/** What the thread page shows of a thread's states (client-safe DTO, ADR 048). */
export type ThreadStateView = {
  categoryId: number;
  closed: boolean;
  closedReason: CloseReason | null;
  closedAt: string | null;
  duplicateOf: { id: string; slug: string; title: string } | null;
  locked: boolean;
  unlisted: boolean;
  pinned: { global: boolean; until: string | null } | null;
};

type StateRow = {
  categoryId: number;
  closedAt: Date | null;
  closedReason: string | null;
  duplicateOf: { id: string; slug: string; title: string } | null;
  lockedAt: Date | null;
  unlistedAt: Date | null;
  pinnedAt: Date | null;
  pinnedGlobally: boolean;
  pinnedUntil: Date | null;
};

export function threadStateView(s: StateRow): ThreadStateView {
  return {
    categoryId: s.categoryId,
    closed: !!s.closedAt,
    closedReason: (s.closedReason as CloseReason | null) ?? null,
    closedAt: s.closedAt?.toISOString() ?? null,
    duplicateOf: s.duplicateOf,
    locked: !!s.lockedAt,
    unlisted: !!s.unlistedAt,
    pinned: s.pinnedAt ? { global: s.pinnedGlobally, until: s.pinnedUntil?.toISOString() ?? null } : null,
  };
}
