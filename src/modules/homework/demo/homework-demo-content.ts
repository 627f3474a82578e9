/** What the demo's teachers wrote this week, by subject and level ('*': any level). */

export interface DemoContent {
  lessons: readonly string[];
  homework: ReadonlyArray<{ text: string; time?: string }>;
}

export interface DemoSubject {
  /** Spreads the subjects over the week. */
  firstDay: number;
  byLevel: Readonly<Record<string, DemoContent>>;
}

export const DEMO_PLAN: Readonly<Record<string, DemoSubject>> = {
  MATHS: {
    firstDay: 0,
    byLevel: {
      '6e': {
        lessons: [
          'Fractions : définition, numérateur et dénominateur. Lecture et écriture de fractions simples (activité p. 108).',
          'Comparer des fractions de même dénominateur. Correction des exercices 1 et 2 p. 110.',
          'Fractions et partage : placer une fraction sur une demi-droite graduée.',
        ],
        homework: [{ text: 'Exercices 3 à 5 p. 112' }, { text: 'Apprendre la leçon sur les fractions (définition et vocabulaire).' }],
      },
      '5e': {
        lessons: [
          'Priorités opératoires : rappel et exemples avec parenthèses.',
          'Calcul littéral : substituer une valeur à une lettre. Exercices oraux.',
          'Correction de l’interrogation sur les nombres relatifs.',
        ],
        homework: [{ text: 'Exercices 12 et 14 p. 58 (priorités opératoires).' }, { text: 'Apprendre les règles de priorité et les recopier dans le cahier de leçons.' }],
      },
      '4e': {
        lessons: ['Puissances de 10 : définition et écriture scientifique.', 'Calculs avec des puissances de 10 : produits et quotients.'],
        homework: [{ text: 'Exercices 21, 22 et 25 p. 43.' }, { text: 'Réviser les puissances pour l’interrogation écrite (15 minutes).' }],
      },
      '3e': {
        lessons: ['Théorème de Thalès : configuration et énoncé.', 'Réciproque du théorème de Thalès : démontrer que deux droites sont parallèles.'],
        homework: [{ text: 'Exercices 8 et 9 p. 176 (Thalès).' }, { text: 'Sujet de brevet blanc, exercice 3 : rédiger au propre.' }],
      },
    },
  },
  FRANCAIS: {
    firstDay: 1,
    byLevel: {
      '6e': {
        lessons: [
          'Lecture : « Le Loup et l’Agneau » de La Fontaine. Qui a raison ? Débat et relevé des arguments.',
          'Grammaire : les classes grammaticales (nom, verbe, adjectif, déterminant).',
        ],
        homework: [{ text: 'Apprendre la fable « Le Loup et l’Agneau » jusqu’au vers 10 pour la récitation.' }, { text: 'Exercices 1 et 3 p. 214 (classes grammaticales).' }],
      },
      '5e': {
        lessons: ['Lecture suivie : « Yvain ou le Chevalier au lion », chapitres 1 et 2.', 'Conjugaison : le passé simple des verbes du premier groupe.'],
        homework: [{ text: 'Lire les chapitres 3 et 4 d’« Yvain » et noter les épreuves du chevalier.' }, { text: 'Conjuguer « chanter » et « marcher » au passé simple.' }],
      },
      '4e': {
        lessons: ['Lecture : « La Parure » de Maupassant, la chute de la nouvelle.', 'Expression écrite : les étapes du schéma narratif.'],
        homework: [{ text: 'Rédiger une fin différente pour « La Parure » (15 lignes).' }, { text: 'Relire la nouvelle et relever trois indices de la chute.' }],
      },
      '3e': {
        lessons: ['Autobiographie : extrait d’« Enfance » de Nathalie Sarraute.', 'Méthode : répondre à une question d’interprétation au brevet.'],
        homework: [{ text: 'Écrire un souvenir d’enfance à la première personne (20 lignes).' }, { text: 'Apprendre les caractéristiques du genre autobiographique.' }],
      },
    },
  },
  HISTGEO: {
    firstDay: 2,
    byLevel: {
      '6e': {
        lessons: ['L’Égypte ancienne : le Nil et l’agriculture. Étude de la carte p. 45.'],
        homework: [{ text: 'Apprendre le vocabulaire de la leçon : pharaon, crue, limon, hiéroglyphe.' }],
      },
      '5e': {
        lessons: ['Les seigneurs et les paysans au Moyen Âge : la seigneurie.'],
        homework: [{ text: 'Compléter le schéma de la seigneurie p. 92.' }],
      },
      '4e': {
        lessons: ['La Révolution française : la prise de la Bastille et la fin des privilèges.'],
        homework: [{ text: 'Apprendre les dates clés de 1789 pour le contrôle.' }],
      },
      '3e': {
        lessons: ['La Première Guerre mondiale : une guerre totale. Analyse d’une affiche de propagande.'],
        homework: [{ text: 'Préparer le croquis « Les fronts en 1916 » (fond de carte distribué).' }],
      },
    },
  },
  ANGLAIS: {
    firstDay: 3,
    byLevel: {
      '*': {
        lessons: ['Unit 3 — My family: have got / has got. Pair work: describing a family photo.'],
        homework: [{ text: 'Learn the family vocabulary p. 34 and do exercise 2 p. 35.' }],
      },
    },
  },
  SVT: {
    firstDay: 4,
    byLevel: {
      '*': {
        lessons: ['Observation de cellules d’oignon au microscope : réaliser un dessin d’observation.'],
        homework: [{ text: 'Terminer le dessin d’observation et le légender (titre, grossissement).' }],
      },
    },
  },
  PHYSCHIM: {
    firstDay: 1,
    byLevel: {
      '*': {
        lessons: ['Les changements d’état de l’eau : expérience de la fusion de la glace, relevé des températures.'],
        homework: [{ text: 'Tracer la courbe de température à partir du tableau de mesures.', time: '08:00' }],
      },
    },
  },
};
