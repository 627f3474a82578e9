/** The server's HTTP contract, imported as types only (nothing of TypeBox reaches the bundle). */
export type {
  TActivationCheck,
  TMe,
  TSessionView,
} from '../../../src/modules/identity/identity.schemas.ts';
export type { TClassRoster, TDashboard } from '../../../src/modules/dashboard/dashboard.schemas.ts';
export type {
  TActivationCode,
  TImportIssue,
  TImportResult,
  TNewAccount,
  TPeoplePage,
} from '../../../src/modules/schools/schools.schemas.ts';

export type { TFrontDoorSettings, TFrontDoorView } from '../../../src/modules/operations/operations.schemas.ts';

import type { TMe } from '../../../src/modules/identity/identity.schemas.ts';
import type { TPeoplePage } from '../../../src/modules/schools/schools.schemas.ts';

export type Role = TMe['roles'][number]['role'];
export type Locale = TMe['locale'];
export type TPersonRow = TPeoplePage['people'][number];
