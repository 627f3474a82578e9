/** Subject codes from the school's timetable (MATHS, HISTGEO…) as people read them. */
import type { Locale } from './api-types.ts';

const SUBJECTS: Record<string, { fr: string; en: string }> = {
  FRANCAIS: { fr: 'Français', en: 'French' },
  MATHS: { fr: 'Mathématiques', en: 'Mathematics' },
  HISTGEO: { fr: 'Histoire-géographie', en: 'History and geography' },
  ANGLAIS: { fr: 'Anglais', en: 'English' },
  ESPAGNOL: { fr: 'Espagnol', en: 'Spanish' },
  ALLEMAND: { fr: 'Allemand', en: 'German' },
  SVT: { fr: 'SVT', en: 'Life and earth sciences' },
  PHYSCHIM: { fr: 'Physique-chimie', en: 'Physics and chemistry' },
  TECHNO: { fr: 'Technologie', en: 'Technology' },
  EPS: { fr: 'EPS', en: 'Physical education' },
  ARTS: { fr: 'Arts plastiques', en: 'Visual arts' },
  MUSIQUE: { fr: 'Éducation musicale', en: 'Music' },
  LATIN: { fr: 'Latin', en: 'Latin' },
  EMC: { fr: 'EMC', en: 'Civics' },
};

const BY_FRENCH_LABEL = new Map(Object.values(SUBJECTS).map((s) => [s.fr, s]));

/** Accepts a code or the French label the server may already send; unknown subjects pass through. */
export function subjectLabel(subject: string, locale: Locale): string {
  const entry = SUBJECTS[subject.toUpperCase()] ?? BY_FRENCH_LABEL.get(subject);
  return entry ? entry[locale] : subject;
}
