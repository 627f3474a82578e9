export { dashboardRoutes } from './dashboard.routes.ts';
export { getDashboard, getClassRoster, type DashboardDeps } from './dashboard.service.ts';
export { DashboardCache, DASHBOARD_TTL_MS } from './dashboard.cache.ts';
export { ClassSections, CLASS_SECTIONS_TTL_MS } from './class-sections.ts';
