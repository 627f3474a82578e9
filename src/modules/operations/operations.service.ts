/** Operating the platform: reading and steering the waiting room. Operators only. */
import type { FrontDoorControl } from '../../front-door/front-door.plugin.ts';
import { authorize, type Actor } from '../access/index.ts';
import type { TFrontDoorSettings, TFrontDoorView } from './operations.schemas.ts';

export function getFrontDoor(frontDoor: FrontDoorControl, actor: Actor): TFrontDoorView {
  authorize(actor, 'platform.operate');
  const s = frontDoor.getStatus();
  return {
    budgetPerSecond: s.budgetPerSecond,
    capPerMinute: s.capPerMinute,
    attackMode: s.attackMode,
    attackActive: s.attackActive,
    nodes: s.nodes,
    isLeader: s.isLeader,
    sharedStateHealthy: s.sharedStateHealthy,
    limiter: {
      limit: s.limiter.limit,
      inflight: s.limiter.inflight,
      eventLoopDelayMs: s.limiter.eventLoopDelayMs,
      busy: s.limiter.busy,
      overloaded: s.limiter.overloaded,
    },
    lanes: Object.entries(s.lanes).map(([name, lane]) => ({
      name,
      waiting: lane.waiting,
      open: lane.open,
      frontierLagSeconds: lane.frontierLagMs / 1000,
      pacePerSecond: lane.pacePerSecond,
      waitLowSeconds: lane.waitForLast.lowSeconds,
      waitHighSeconds: lane.waitForLast.highSeconds,
    })),
  };
}

/** Applies an operator's cap and attack mode, cluster-wide. */
export async function updateFrontDoor(frontDoor: FrontDoorControl, actor: Actor, settings: TFrontDoorSettings): Promise<TFrontDoorView> {
  authorize(actor, 'platform.operate');
  if (settings.capPerMinute !== undefined) await frontDoor.setCap(settings.capPerMinute);
  if (settings.attackMode !== undefined) await frontDoor.setAttackMode(settings.attackMode);
  return getFrontDoor(frontDoor, actor);
}
