export { dashboardRoutes } from './dashboard.routes.ts';
export { getDashboard, getClassRoster, type DashboardDeps } from './dashboard.service.ts';
