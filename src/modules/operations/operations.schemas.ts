/** HTTP contract of platform operations: the waiting room's figures and controls. */
import { Type, type Static } from 'typebox';

export const ZAttackMode = Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('auto')]);

export const ZFrontDoorSettings = Type.Object(
  {
    /** People admitted per minute at most, platform-wide; null removes the cap. */
    capPerMinute: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 10_000_000 }), Type.Null()])),
    attackMode: Type.Optional(ZAttackMode),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TFrontDoorSettings = Static<typeof ZFrontDoorSettings>;

const ZLane = Type.Object({
  name: Type.String(),
  waiting: Type.Integer(),
  open: Type.Boolean(),
  frontierLagSeconds: Type.Number(),
  pacePerSecond: Type.Number(),
  waitLowSeconds: Type.Number(),
  waitHighSeconds: Type.Number(),
});

export const ZFrontDoorView = Type.Object({
  budgetPerSecond: Type.Number(),
  capPerMinute: Type.Union([Type.Number(), Type.Null()]),
  attackMode: ZAttackMode,
  attackActive: Type.Boolean(),
  nodes: Type.Integer(),
  isLeader: Type.Boolean(),
  sharedStateHealthy: Type.Boolean(),
  limiter: Type.Object({ limit: Type.Number(), inflight: Type.Number(), eventLoopDelayMs: Type.Number(), busy: Type.Number(), overloaded: Type.Boolean() }),
  lanes: Type.Array(ZLane),
});
export type TFrontDoorView = Static<typeof ZFrontDoorView>;
