/**
 * The live view: one line on stderr, rewritten every second — time, phase, arrivals, people
 * admitted, waiting, answers per second, p99 over the last seconds, errors. Off a terminal
 * (CI, a pipe) it prints a line every 10 s instead.
 */
import { percentile, totals, type Recorder } from './recorder.ts';

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  phase = '';
  private ticks = 0;

  constructor(private readonly rec: Recorder) {}

  start(): void {
    const tty = process.stderr.isTTY;
    this.timer = setInterval(() => {
      this.rec.sample();
      this.ticks++;
      if (!tty && this.ticks % 10 !== 0) return;
      const line = this.line();
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    }, 1000);
    this.timer.unref();
  }

  line(): string {
    const now = this.rec.elapsedMs();
    const all = totals(this.rec.window());
    const recent = this.rec.window(now - 5_000, now);
    const latencies = recent.flatMap((s) => s.latencies).sort((a, b) => a - b);
    const rps = recent.reduce((s, x) => s + x.answers, 0) / Math.max(1, recent.length);
    const errors = Object.values(all.errors).reduce((a, b) => a + b, 0);
    const p99 = percentile(latencies, 99);
    const client = Math.max(0, ...recent.map((s) => s.clientBusy ?? 0));
    return `t ${(now / 1000).toFixed(0).padStart(4)} s  ${this.phase.padEnd(14)} arrivals ${String(all.arrivals).padStart(6)}  admitted ${String(all.admitted).padStart(6)}  waiting ${String(this.rec.waitingNow).padStart(5)}  ${rps.toFixed(0).padStart(5)} req/s  p99 ${p99 === null ? '—' : `${p99.toFixed(0)} ms`}  errors ${errors}  client ${Math.round(client * 100)} %`;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${this.line()}\n`);
  }
}
