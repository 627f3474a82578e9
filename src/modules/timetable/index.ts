export { timetableRoutes, type TimetableRouteDeps } from './timetable.routes.ts';
export { createTimetableDeps, type TimetableDeps } from './timetable.service.ts';
export type { FindHomeworkDue } from './calendar-feed.service.ts';
export { findLessonsOn, type DayLesson } from './timetable.dashboard.ts';
export { findTeachingWindowsOn, type TeachingWindow } from './teaching-windows.ts';
export { seedTimetableDemo } from './demo/timetable-demo.ts';
export type { VideoProvider, VideoRoom, VideoRole, VideoUser } from './video/video-provider.ts';
export { LessonStartingWatch, findOccurrencesStarting, type LessonStartingOptions } from './lesson-starting.ts';
