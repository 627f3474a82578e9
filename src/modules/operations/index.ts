export { operationsRoutes } from './operations.routes.ts';
export { getFrontDoor, updateFrontDoor } from './operations.service.ts';
