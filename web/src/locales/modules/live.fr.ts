/** French messages of live updates (keys prefixed `live.`). */
export const LIVE_FR = {
  'live.lessonTitle': 'Votre cours commence bientôt',
  'live.lessonText': '{subject} à {time}',
  'live.join': 'Rejoindre',
  'live.joinBusy': 'Connexion…',
  'live.timetable': "Voir l'emploi du temps",
  'live.dismiss': 'Fermer la notification',
} as const;
