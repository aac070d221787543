/**
 * The progress display of the long-running commands (`npm run seed:large`, `npm run
 * reputation:backfill`): a bar on stderr, redrawn in place on a terminal, one line per 10 % when
 * stderr is a file or a pipe (a log, CI), so the output stays short and readable either way.
 */

/** 42s, 3m07s. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** 1,157,640. */
export const fmt = (n: number) => n.toLocaleString("en-US");

export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly phaseStart = Date.now();
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}
  update(done: number, detail = ""): void {
    const now = Date.now();
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const decile = Math.floor(fraction * 10);
    if (this.tty ? now - this.lastDraw < 100 && fraction < 1 : decile === this.lastDecile) return;
    this.lastDraw = now;
    this.lastDecile = decile;
    const width = 24;
    const filled = Math.round(fraction * width);
    const elapsed = now - this.phaseStart;
    const eta = fraction > 0.02 && fraction < 1 ? ` eta ${duration((elapsed / fraction) * (1 - fraction))}` : "";
    const line = `${this.label.padEnd(8)} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${fmt(done)}/${fmt(this.total)}${detail ? `  ${detail}` : ""}  ${duration(elapsed)}${eta}`;
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }
  finish(detail = ""): void {
    this.update(this.total, detail);
    if (this.tty) process.stderr.write("\n");
  }
}
