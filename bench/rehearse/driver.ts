/**
 * Open-loop arrivals: person i starts at t0 + offsets[i] by the clock, whatever the server is
 * doing (a slow server does not slow the crowd down: that is a 9:00). Returns once everyone has
 * arrived and finished, or at the hard deadline (people still inside are then left running and
 * counted as not finished).
 */
import type { Context, JourneyKind, Person } from './context.ts';
import { journey } from './journey.ts';

export interface Arrival {
  person: Person;
  kind: JourneyKind;
}

export async function replay(ctx: Context, offsetsMs: readonly number[], arrivalOf: (i: number) => Arrival, hardDeadlineMs: number): Promise<{ unfinished: number }> {
  const t0 = Date.now();
  const running = new Set<Promise<void>>();
  for (let i = 0; i < offsetsMs.length; i++) {
    const due = t0 + offsetsMs[i]!;
    const delay = due - Date.now();
    if (delay > 1) await new Promise((r) => setTimeout(r, delay));
    const { person, kind } = arrivalOf(i);
    const run: Promise<void> = journey(ctx, person, kind)
      .catch((error: unknown) => ctx.rec.error('connection', `journey crashed: ${String(error)}`.slice(0, 120)))
      .finally(() => running.delete(run));
    running.add(run);
  }
  const deadline = t0 + hardDeadlineMs;
  while (running.size > 0 && Date.now() < deadline) {
    await Promise.race([Promise.race(running), new Promise((r) => setTimeout(r, 500))]);
  }
  return { unfinished: running.size };
}
