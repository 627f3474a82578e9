/**
 * Names for the demo school: common French first names of pupils born around 2012 and of their
 * parents' generation, and family names. The fixed demo people's family names (Martin, Benali,
 * Petit, the staff and the teachers) are left out so that their logins stay `prenom.nom`.
 */

export const GIRL_NAMES = [
  'Emma', 'Jade', 'Louise', 'Alice', 'Chloé', 'Lina', 'Rose', 'Léonie', 'Anna', 'Mila',
  'Julia', 'Inès', 'Ambre', 'Zoé', 'Manon', 'Juliette', 'Lou', 'Camille', 'Agathe', 'Sarah',
  'Romane', 'Iris', 'Nina', 'Eva', 'Clara', 'Margaux', 'Capucine', 'Maëlys', 'Lisa', 'Héloïse',
  'Jeanne', 'Victoire', 'Adèle', 'Salomé', 'Yasmine', 'Maya', 'Océane', 'Noémie', 'Elsa', 'Anaïs',
] as const;

export const BOY_NAMES = [
  'Gabriel', 'Raphaël', 'Léo', 'Louis', 'Lucas', 'Adam', 'Arthur', 'Jules', 'Maël', 'Nathan',
  'Ethan', 'Paul', 'Noah', 'Sacha', 'Gabin', 'Timéo', 'Mohamed', 'Aaron', 'Théo', 'Nolan',
  'Martin', 'Victor', 'Axel', 'Liam', 'Mathis', 'Enzo', 'Antoine', 'Baptiste', 'Maxime', 'Clément',
  'Samuel', 'Rayan', 'Côme', 'Malo', 'Eliott', 'Simon', 'Noé', 'Valentin', 'Ilyes', 'Matteo',
] as const;

export const MOTHER_NAMES = [
  'Nathalie', 'Isabelle', 'Sandrine', 'Céline', 'Stéphanie', 'Aurélie', 'Virginie', 'Émilie', 'Julie', 'Caroline',
  'Karine', 'Delphine', 'Laetitia', 'Élodie', 'Vanessa', 'Audrey', 'Sabrina', 'Fatima', 'Mélanie', 'Sonia',
  'Hélène', 'Valérie', 'Myriam', 'Amélie', 'Marion', 'Anne', 'Séverine', 'Christelle', 'Nadia', 'Samia',
] as const;

export const FATHER_NAMES = [
  'Stéphane', 'Nicolas', 'Sébastien', 'Christophe', 'Frédéric', 'Julien', 'Laurent', 'Olivier', 'David', 'Jérôme',
  'Cédric', 'Guillaume', 'Mathieu', 'Vincent', 'Fabrice', 'Arnaud', 'Yannick', 'Mehdi', 'Grégory', 'Franck',
  'Benoît', 'Thierry', 'Romain', 'Alexandre', 'Karim', 'Sylvain', 'Emmanuel', 'Pascal', 'Yann', 'Rachid',
] as const;

export const FAMILY_NAMES = [
  'Bernard', 'Thomas', 'Robert', 'Richard', 'Durand', 'Leroy', 'Simon', 'Laurent', 'Michel', 'Garcia',
  'David', 'Bertrand', 'Vincent', 'Fournier', 'Morel', 'André', 'Rousseau', 'Blanc', 'Guérin', 'Muller',
  'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez',
  'Masson', 'Marchand', 'Duval', 'Denis', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun',
  'Blanchard', 'Barbier', 'Brunet', 'Schmitt', 'Roger', 'Roche', 'Roy', 'Colin', 'Vidal', 'Caron',
  'Picard', 'Gaillard', 'Philippe', 'Lucas', 'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier',
  'Philippon', 'Rivière', 'Le Gall', 'Boyer', 'Fleury', 'Hamon', 'Diallo', 'Nguyen', 'Traoré', 'Haddad',
  'Moulin', 'Lefort', 'Charpentier', 'Leclerc', 'Huet', 'Marie', 'Perrot', 'Giraud', 'Carpentier', 'Benard',
  'Rolland', 'Lebrun', 'Chevalier', 'Cousin', 'Besson', 'Le Roux', 'Collet', 'Tessier', 'Jacquet', 'Lemoine-Faure',
  'Ferreira', 'Da Silva', 'Kaya', 'Mercier-Leblanc', 'Pichon', 'Prévost', 'Paris', 'Baron', 'Maillard', 'Poirier',
] as const;
