/** Live updates: GET /api/live (Server-Sent Events), routed from the domain events. */
export { liveRoutes, type LiveRouteDeps } from './live.routes.ts';
export { LiveHub } from './live.hub.ts';
