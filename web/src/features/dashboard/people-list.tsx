import type { JSX } from 'preact';
import { byName, initials } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';

interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

/** Names in columns, sorted as on a class list. */
export function NameList({ people, ordered = false }: { people: readonly Person[]; ordered?: boolean }): JSX.Element {
  const sorted = [...people].sort(byName);
  const items = sorted.map((p) => (
    <li key={p.id}>
      <span class="person-last">{p.lastName}</span> {p.firstName}
    </li>
  ));
  return ordered ? <ol class="name-list">{items}</ol> : <ul class="name-list">{items}</ul>;
}

/** Teachers with what they teach: « Claire Dubois — Mathématiques, EMC ». */
export function TeacherList({ teachers }: { teachers: ReadonlyArray<Person & { subjects: readonly string[] }> }): JSX.Element {
  const { locale } = useI18n();
  return (
    <ul class="person-list">
      {[...teachers].sort(byName).map((teacher) => (
        <li key={teacher.id}>
          <span class="avatar avatar-small" aria-hidden="true">
            {initials(teacher.firstName, teacher.lastName)}
          </span>
          <span>
            <span class="person-name">
              {teacher.firstName} {teacher.lastName}
            </span>
            <span class="person-meta">{teacher.subjects.map((s) => subjectLabel(s, locale)).join(', ')}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
