import type { TDashboard } from '../../../lib/api-types.ts';

export type TToday = TDashboard['today'];
export type TodayLesson = TToday['lessons'][number];
export type TodayHomework = TToday['homework'][number];
