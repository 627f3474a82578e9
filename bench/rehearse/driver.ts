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
  let running = 0;
  // Settled when the last journey ends (a counter, not Promise.race over every journey: racing
  // 10 000 promises again and again attached a reaction to each of them every time, which cost
  // the generator gigabytes and most of its core at 10× overload).
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  let arrived = false;
  const finish = () => {
    running--;
    if (arrived && running === 0) allDone();
  };
  for (let i = 0; i < offsetsMs.length; i++) {
    const due = t0 + offsetsMs[i]!;
    const delay = due - Date.now();
    if (delay > 1) await new Promise((r) => setTimeout(r, delay));
    const { person, kind } = arrivalOf(i);
    running++;
    void journey(ctx, person, kind)
      .catch((error: unknown) => ctx.rec.error('connection', `journey crashed: ${String(error)}`.slice(0, 120)))
      .finally(finish);
  }
  arrived = true;
  if (running === 0) allDone();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, t0 + hardDeadlineMs - Date.now()))));
  await Promise.race([done, deadline]);
  clearTimeout(timer);
  return { unfinished: running };
}
