/**
 * When a failed delivery is tried again (ADR 064): exponential back-off from 30 s, doubling up to 4 hours
 * between attempts, for one day after the delivery was created. The last try is at the day's end; after it
 * the delivery has failed. An endpoint whose deliveries fail for a day without one success is disabled.
 */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 4 * 3600_000;
export const RETRY_WINDOW_MS = 24 * 3600_000;
/** An endpoint failing this long without a success is disabled and its admins told. */
export const DISABLE_AFTER_MS = 24 * 3600_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** The time of the next attempt after `attempts` failed ones, or null when the day is over. */
export function nextAttemptAt(createdAt: Date, attempts: number, now: Date): Date | null {
  const end = createdAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= end) return null;
  return new Date(Math.min(end, now.getTime() + retryDelayMs(attempts)));
}
