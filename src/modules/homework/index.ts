export { homeworkRoutes, type HomeworkRouteDeps } from './homework.routes.ts';
export type { HomeworkDeps } from './homework.service.ts';
export {
  findClassHomeworkDue,
  findHandInStatuses,
  findHomeworkDue,
  findSubmissionsToReview,
  type ClassHomeworkItem,
  type HandInStatus,
  type HomeworkDue,
  type SubmissionsToReview,
} from './homework.dashboard.ts';
export { seedHomeworkDemo } from './demo/homework-demo.ts';
