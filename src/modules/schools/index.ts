export { schoolsRoutes } from './schools.routes.ts';
export { importSchoolPeople, listPeople, reissueActivationCode, type SchoolsDeps } from './schools.service.ts';
export { DEMO_ACCOUNTS, DEMO_ACTIVATION, DEMO_PASSWORD, DEMO_SCHOOL, seedDemo } from './demo/demo-school.ts';
