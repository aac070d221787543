/**
 * Before → after in a line per changed field, for the audit page (client-safe). Snapshots are small
 * objects of the fields an action changed (ADR 044); anything else is shown as compact JSON.
 */
const MAX = 60;

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const chars = [...text];
  return chars.length > MAX ? `${chars.slice(0, MAX - 1).join("")}…` : text;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function compactChange(before: unknown, after: unknown): { field: string; before: string; after: string }[] {
  if (!isRecord(before) && !isRecord(after)) {
    return before == null && after == null ? [] : [{ field: "", before: show(before), after: show(after) }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields
    .filter((field) => JSON.stringify(b[field]) !== JSON.stringify(a[field]) || !isRecord(before) || !isRecord(after))
    .map((field) => ({ field, before: show(b[field]), after: show(a[field]) }));
}
