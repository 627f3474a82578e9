import type { LIVE_FR } from './live.fr.ts';

/** English messages of live updates: the same keys as French. */
export const LIVE_EN: { readonly [K in keyof typeof LIVE_FR]: string } = {
  'live.lessonTitle': 'Your lesson starts soon',
  'live.lessonText': '{subject} at {time}',
  'live.join': 'Join',
  'live.joinBusy': 'Connecting…',
  'live.timetable': 'See the timetable',
  'live.dismiss': 'Close the notification',
};
