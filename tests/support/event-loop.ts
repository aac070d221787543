/**
 * Runs `work` and counts the turns the event loop made meanwhile (a `setImmediate` chain): zero when
 * the work held the loop from start to end, many when it let other callbacks (requests) run.
 */
export async function eventLoopTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const spin = () => {
    turns += 1;
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { result: await work(), turns };
  } finally {
    running = false;
  }
}
