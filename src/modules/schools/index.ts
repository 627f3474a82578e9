export { schoolsRoutes } from './schools.routes.ts';
export { importSchoolPeople, listPeople, reissueActivationCode, type SchoolsDeps } from './schools.service.ts';
