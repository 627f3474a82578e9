import { describe, expect, it } from 'vitest';
import { createMemoryState } from './memory.ts';
import { sharedStateContract } from './shared-state.contract.ts';

sharedStateContract('memory', () => Promise.resolve(createMemoryState()));

describe('createMemoryState', () => {
  it('sweeps expired keys and idle GCRA timestamps without anyone reading them', async () => {
    const state = createMemoryState({ sweepIntervalMs: 20 });
    await state.set('lease', 'x', 30);
    await state.incrBy('counter', 1, 30);
    await state.gcra('limit', { count: 1, periodMs: 40, burst: 0 }, Date.now());
    await state.set('kept', 'y');
    expect(state.storedKeyCount()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(state.storedKeyCount()).toBe(1);
    await state.close();
  });
});
