/**
 * Polls `probe` every `everyMs` until it returns a truthy value, which it returns; throws
 * "timed out waiting for <what>" after `ms`. For tests that wait on another process or the database.
 */
export async function until<T>(what: string, ms: number, probe: () => Promise<T | false | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
