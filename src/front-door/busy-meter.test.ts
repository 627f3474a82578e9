/**
 * The node's busy time: the larger of event-loop utilisation and the process's CPU share over the
 * cores it may use, between two readings, from cumulative counters (nothing per request).
 */
import { describe, expect, it } from 'vitest';
import { BusyMeter, type BusySources } from './controller.ts';

function fakeSources(cores = 1) {
  const s = { idle: 0, active: 0, cpuUs: 0, now: 0 };
  const sources: BusySources = {
    eventLoop: () => ({ idle: s.idle, active: s.active }),
    cpuMicros: () => s.cpuUs,
    now: () => s.now,
    cores,
  };
  return { s, sources };
}

describe('BusyMeter', () => {
  it('reads event-loop utilisation between two readings', () => {
    const { s, sources } = fakeSources();
    const meter = new BusyMeter(sources);
    Object.assign(s, { idle: 250, active: 750, now: 1000, cpuUs: 100_000 });
    expect(meter.read()).toBeCloseTo(0.75);
    // Only what happened since the previous reading counts.
    Object.assign(s, { idle: 1150, active: 850, now: 2000, cpuUs: 200_000 });
    expect(meter.read()).toBeCloseTo(0.1);
  });

  it('sees a core saturated by work off the loop (password hashing on libuv threads)', () => {
    const { s, sources } = fakeSources(1);
    const meter = new BusyMeter(sources);
    // The loop mostly waits, but the process used the whole core.
    Object.assign(s, { idle: 900, active: 100, now: 1000, cpuUs: 1_000_000 });
    expect(meter.read()).toBeCloseTo(1);
  });

  it('divides CPU time by the cores the process may use, and never reports more than 1', () => {
    const { s, sources } = fakeSources(2);
    const meter = new BusyMeter(sources);
    Object.assign(s, { idle: 1000, active: 0, now: 1000, cpuUs: 1_000_000 });
    expect(meter.read()).toBeCloseTo(0.5);
    Object.assign(s, { idle: 1000, active: 1000, now: 2000, cpuUs: 4_000_000 });
    expect(meter.read()).toBe(1);
  });

  it('reads 0 when no time passed', () => {
    const { sources } = fakeSources();
    expect(new BusyMeter(sources).read()).toBe(0);
  });
});
