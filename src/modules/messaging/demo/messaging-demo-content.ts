/** What the demo's people wrote to each other this week. Groups are [kind, class name]; people are logins. */

export interface DemoAddress {
  people?: readonly string[];
  groups?: ReadonlyArray<readonly ['class_parents' | 'class_pupils' | 'class_teachers', string]>;
}

export interface DemoMessage {
  /** Messages with the same thread key form one conversation, in order. */
  thread: string;
  subject?: string;
  from: string;
  to: DemoAddress;
  daysAgo: number;
  time: string;
  body: string;
  /** Demo logins who have not read it yet (everyone else has). */
  unreadBy?: readonly string[];
}

type Login = (key: 'pupil' | 'parent' | 'teacher' | 'principal' | 'cpe') => string;

const ALL_PARENTS = [
  ['class_parents', '6e A'],
  ['class_parents', '5e B'],
  ['class_parents', '4e A'],
  ['class_parents', '3e B'],
] as const;

export const DEMO_MESSAGES = (login: Login): DemoMessage[] => [
  {
    thread: 'semaine',
    subject: 'Organisation de la semaine',
    from: login('principal'),
    to: { groups: ALL_PARENTS },
    daysAgo: 4,
    time: '08:10',
    body: `Madame, Monsieur,

Voici l'organisation de la semaine au collège Jean Moulin :
• mardi : photos de classe le matin (l'autorisation est à rendre au professeur principal) ;
• jeudi : conseils de classe de 6e et de 5e à partir de 17 h, les cours de 16 h à 17 h sont maintenus ;
• vendredi : exercice d'évacuation incendie en fin de matinée.

La cantine servira un repas végétarien mercredi. Les bulletins du premier trimestre seront consultables dans Préau la semaine prochaine.

Bien cordialement,
Claire Dubois
Principale`,
  },
  {
    thread: 'controle',
    subject: 'Contrôle de mathématiques vendredi',
    from: login('teacher'),
    to: { groups: [['class_parents', '6e A']] },
    daysAgo: 3,
    time: '17:45',
    body: `Bonjour à tous,

Les élèves de 6e A auront un contrôle de mathématiques vendredi en 2e heure, sur les fractions (chapitre 4 : définition, comparaison, placement sur une demi-droite graduée).

Pour réviser : les exercices 3 à 5 p. 112 et la fiche distribuée lundi. La calculatrice n'est pas nécessaire.

Merci de vérifier que votre enfant a bien noté la date dans son agenda.

Karim Benali
Professeur de mathématiques`,
  },
  {
    thread: 'controle',
    from: login('parent'),
    to: { people: [login('teacher')] },
    daysAgo: 3,
    time: '20:30',
    body: `Bonjour Monsieur Benali,

Léa était absente lundi (rendez-vous médical) et n'a pas eu la fiche de révision. Pourriez-vous la lui donner, ou nous dire où la trouver ?

Merci beaucoup,
Sophie Martin`,
  },
  {
    thread: 'controle',
    from: login('teacher'),
    to: { people: [login('parent')] },
    daysAgo: 2,
    time: '07:50',
    unreadBy: [login('parent')],
    body: `Bonjour Madame Martin,

Pas de souci : je donnerai la fiche à Léa ce matin en classe, et je l'ai aussi déposée dans l'espace documentaire de la classe. Elle peut venir me voir à la fin du cours si elle a des questions.

Bonne journée,
Karim Benali`,
  },
  {
    thread: 'exercice',
    subject: 'Devoirs pour jeudi : exercice 5 p. 112',
    from: login('pupil'),
    to: { people: [login('teacher')] },
    daysAgo: 2,
    time: '18:20',
    body: `Bonjour Monsieur,

Pour l'exercice 5 p. 112, il faut placer les fractions sur la demi-droite : quelle unité faut-il prendre ? Dans mon cahier j'ai noté 6 carreaux mais je ne suis pas sûre.

Merci,
Léa`,
  },
  {
    thread: 'exercice',
    from: login('teacher'),
    to: { people: [login('pupil')] },
    daysAgo: 2,
    time: '19:05',
    unreadBy: [login('pupil')],
    body: `Bonjour Léa,

Oui, prends 6 carreaux pour une unité : comme les dénominateurs sont 2, 3 et 6, chaque fraction tombe sur un carreau. Pense à écrire les fractions au-dessus de la demi-droite.

Bon travail !
M. Benali`,
  },
  {
    thread: 'absences',
    subject: 'Absences et retards : rappel',
    from: login('cpe'),
    to: { groups: ALL_PARENTS },
    daysAgo: 1,
    time: '09:30',
    unreadBy: [login('parent')],
    body: `Madame, Monsieur,

Depuis la rentrée, nous constatons de nombreux retards le matin. Les cours commencent à 8 h 25 et le portail ferme à 8 h 30.

En cas d'absence, merci de prévenir la vie scolaire avant 9 h 30, en répondant à ce message ou par téléphone, puis de justifier l'absence par écrit au retour de votre enfant.

Je reste à votre disposition,
Julien Moreau
Conseiller principal d'éducation`,
  },
];
