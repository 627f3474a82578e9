/**
 * Prometheus metrics of the front door, read from the same status object as the admin UI and the
 * CLI: queue length, admission pace, frontier lag and wait band per lane; budget, cap, attack
 * mode and the node's limiter. Collected on scrape, no work per request.
 */
import { Gauge, type Registry } from 'prom-client';
import type { FrontDoorControl } from './front-door.plugin.ts';

export function registerFrontDoorMetrics(registry: Registry, control: FrontDoorControl): void {
  const lane = (name: string, help: string, read: (s: ReturnType<FrontDoorControl['getStatus']>['lanes'][string]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['lane'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [laneName, status] of Object.entries(control.getStatus().lanes)) this.set({ lane: laneName }, read(status));
      },
    });
  const node = (name: string, help: string, read: (s: ReturnType<FrontDoorControl['getStatus']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(control.getStatus()));
      },
    });
  lane('preau_waiting_room_waiting', 'People waiting per lane (abandoned tickets count until passed)', (s) => s.waiting);
  lane('preau_waiting_room_admission_pace', 'Arrivals admitted per second per lane (EWMA)', (s) => s.pacePerSecond);
  lane('preau_waiting_room_frontier_lag_seconds', 'How far behind now the frontier is, per lane', (s) => s.frontierLagMs / 1000);
  lane('preau_waiting_room_wait_low_seconds', 'Low end of the wait band shown to the last person in line', (s) => s.waitForLast.lowSeconds);
  lane('preau_waiting_room_wait_high_seconds', 'High end of the wait band shown to the last person in line', (s) => s.waitForLast.highSeconds);
  lane('preau_waiting_room_open', '1 when nobody waits in the lane', (s) => (s.open ? 1 : 0));
  node('preau_admission_budget_per_second', 'Platform-wide admission budget (entries per second)', (s) => s.budgetPerSecond);
  node('preau_admission_cap_per_minute', 'Operator cap on admissions per minute (-1: none)', (s) => s.capPerMinute ?? -1);
  node('preau_attack_mode_active', '1 while attack mode (proof of work) is active', (s) => (s.attackActive ? 1 : 0));
  node('preau_front_door_leader', '1 on the node that advances the frontier', (s) => (s.isLeader ? 1 : 0));
  node('preau_limiter_limit', "This node's adaptive concurrency limit", (s) => s.limiter.limit);
  node('preau_limiter_inflight', 'Requests in flight on this node', (s) => s.limiter.inflight);
  node('preau_event_loop_delay_ms', 'Event loop delay seen by the limiter (ms)', (s) => s.limiter.eventLoopDelayMs);
  node('preau_node_busy_ratio', 'Busy time of this node over the last second (event-loop utilisation or CPU share, 0-1)', (s) => s.limiter.busy);
}
