/**
 * Choosing recipients: a search over the groups and people this person may write to (the server
 * offers nothing else), and the chosen ones as removable chips.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { ErrorState } from '../../app/ui/page.tsx';
import { useI18n, type Translate } from '../../lib/i18n.ts';
import type { Locale } from '../../lib/api-types.ts';
import { roleKey } from '../../lib/roles.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { useResource } from '../../lib/use-resource.ts';
import { groupLabel, personName } from './audience.ts';
import { messagingApi, type TGroup, type TRecipientOptions, type TRecipientPerson } from './messaging-api.ts';

export type Choice = { type: 'group'; group: TGroup } | { type: 'person'; person: TRecipientPerson };

export const choiceKey = (c: Choice): string => (c.type === 'group' ? `g:${c.group.kind}:${c.group.classId ?? ''}` : `p:${c.person.id}`);

const SHOWN_GROUPS = 8;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** « Enseignant · Mathématiques · 6e A, 5e B », « Parent de Léa Martin (6e A) », « Élève · 6e A ». */
export function describePerson(p: TRecipientPerson, t: Translate, locale: Locale): string {
  const parts: string[] = [];
  for (const role of p.roles) {
    const key = roleKey(role);
    if (role === 'parent' && p.children.length > 0) {
      const names = p.children.map((c) => (c.className ? `${c.firstName} ${c.lastName} (${c.className})` : `${c.firstName} ${c.lastName}`));
      parts.push(t('messaging.parentOf', { names: names.join(', ') }));
    } else if (key) parts.push(t(key));
  }
  if (p.subjects.length > 0) parts.push(p.subjects.map((s) => subjectLabel(s, locale)).join(', '));
  if (p.classes.length > 0) parts.push(p.classes.join(', '));
  return parts.join(' · ');
}

function Options({ data, chosen, onAdd }: { data: TRecipientOptions; chosen: ReadonlySet<string>; onAdd: (c: Choice) => void }): JSX.Element {
  const { t, tn, locale } = useI18n();
  const groups = data.groups.filter((g) => !chosen.has(choiceKey({ type: 'group', group: g })));
  const people = data.people.filter((p) => !chosen.has(`p:${p.id}`));
  const shownGroups = groups.slice(0, SHOWN_GROUPS);
  return (
    <>
      <p class="muted msg-options-count" role="status">
        {groups.length + people.length === 0 ? t('messaging.picker.none') : tn('messaging.picker.count', groups.length + people.length)}
      </p>
      {shownGroups.length > 0 && (
        <>
          <h3 class="msg-options-title">{t('messaging.picker.groups')}</h3>
          <ul class="msg-options">
            {shownGroups.map((g) => (
              <li key={choiceKey({ type: 'group', group: g })}>
                <button type="button" class="msg-option" onClick={() => onAdd({ type: 'group', group: g })}>
                  <Icon name="users" size={18} />
                  <span class="msg-option-name">{groupLabel(g, t)}</span>
                  <span class="msg-option-add" aria-hidden="true">
                    +
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {groups.length > SHOWN_GROUPS && <p class="field-hint">{tn('messaging.picker.moreGroups', groups.length - SHOWN_GROUPS)}</p>}
        </>
      )}
      {people.length > 0 && (
        <>
          <h3 class="msg-options-title">{t('messaging.picker.people')}</h3>
          <ul class="msg-options">
            {people.map((p) => (
              <li key={p.id}>
                <button type="button" class="msg-option" onClick={() => onAdd({ type: 'person', person: p })}>
                  <Icon name="user" size={18} />
                  <span class="msg-option-name">
                    {personName(p)}
                    <span class="msg-option-meta">{describePerson(p, t, locale)}</span>
                  </span>
                  <span class="msg-option-add" aria-hidden="true">
                    +
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {data.more && <p class="field-hint">{t('messaging.picker.refine')}</p>}
    </>
  );
}

interface PickerProps {
  schoolId: string | undefined;
  chosen: readonly Choice[];
  onChange: (next: Choice[]) => void;
  error?: string | null;
  /** Tells the page which school the server chose and which others exist. */
  onSchools?: (school: { id: string; name: string }, schools: Array<{ id: string; name: string }>) => void;
}

export function RecipientPicker({ schoolId, chosen, onChange, error, onSchools }: PickerProps): JSX.Element {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const options = useResource(JSON.stringify([schoolId ?? '', query]), (signal) => messagingApi.recipients({ schoolId, q: query || undefined }, signal));
  const chosenKeys = new Set(chosen.map(choiceKey));
  // While a new search loads, the previous results stay on screen (no flicker as one types).
  const last = useRef<TRecipientOptions | null>(null);
  if (options.status === 'ready') last.current = options.data;
  const data = options.status === 'error' ? null : last.current;
  useEffect(() => {
    if (data && onSchools) onSchools(data.school, data.schools);
  }, [data?.school.id]);

  const label = (c: Choice) => (c.type === 'group' ? groupLabel(c.group, t) : personName(c.person));
  return (
    <div class={error ? 'field field-invalid msg-picker' : 'field msg-picker'}>
      <label for="to-q">{t('messaging.picker.label')}</label>
      <p class="field-hint" id="to-q-hint">
        {t('messaging.picker.hint')}
      </p>
      {chosen.length > 0 && (
        <ul class="msg-chips" aria-label={t('messaging.picker.chosen')}>
          {chosen.map((c) => (
            <li key={choiceKey(c)} class="msg-chip">
              <Icon name={c.type === 'group' ? 'users' : 'user'} size={16} />
              <span>{label(c)}</span>
              <button type="button" class="msg-chip-remove" onClick={() => onChange(chosen.filter((x) => choiceKey(x) !== choiceKey(c)))}>
                <Icon name="close" size={14} />
                <span class="visually-hidden">{t('messaging.picker.remove', { name: label(c) })}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="field-control field-search">
        <Icon name="search" size={18} />
        <input
          id="to-q"
          type="search"
          value={q}
          autocomplete="off"
          maxLength={100}
          placeholder={t('messaging.picker.placeholder')}
          aria-describedby={error ? 'to-q-hint to-q-error' : 'to-q-hint'}
          aria-invalid={error ? true : undefined}
          aria-controls="to-results"
          onInput={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
      </div>
      {error && (
        <p class="field-error" id="to-q-error">
          <Icon name="alert" size={16} />
          {error}
        </p>
      )}
      <div id="to-results" class="msg-results">
        {options.status === 'error' && <ErrorState error={options.error} onRetry={options.reload} />}
        {data && (
          <Options
            data={data}
            chosen={chosenKeys}
            onAdd={(c) => {
              onChange([...chosen, c]);
              setQ('');
              document.getElementById('to-q')?.focus();
            }}
          />
        )}
      </div>
    </div>
  );
}
