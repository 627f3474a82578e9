import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { FormError } from '../../app/ui/fields.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { formatMinutes, parisParts } from './paris-time.ts';
import { timetableApi, type TOccurrence } from './timetable-api.ts';

type Mode = 'menu' | 'cancel' | 'move';

/** Run a change, report its error in the form, hand the updated occurrence back. */
function useChange(onChanged: (o: TOccurrence | null) => void) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (change: () => Promise<TOccurrence | null>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await change());
      return true;
    } catch (cause) {
      setError(describeError(cause, t, locale));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** The teacher's (or direction's) controls for one occurrence: cancel with a reason, move, put back. */
export function OccurrenceActions({ occurrence, onChanged }: { occurrence: TOccurrence; onChanged: (o: TOccurrence | null) => void }): JSX.Element {
  const { t } = useI18n();
  const [mode, setMode] = useState<Mode>('menu');
  const { busy, error, run } = useChange(onChanged);
  const start = parisParts(occurrence.start);
  const [reason, setReason] = useState('');
  const [move, setMove] = useState({
    date: start.date,
    start: formatMinutes(start.minutes),
    end: formatMinutes(parisParts(occurrence.end).minutes),
    room: occurrence.room,
  });
  const id = occurrence.occurrenceId;
  const done = (ok: boolean) => ok && setMode('menu');

  if (mode === 'cancel') {
    return (
      <form class="stack tt-form" onSubmit={(e) => (e.preventDefault(), void run(() => timetableApi.cancel(id, reason)).then(done))}>
        <div class="field">
          <label for="tt-cancel-reason">{t('timetable.cancel.reason')}</label>
          <p class="field-hint" id="tt-cancel-hint">{t('timetable.cancel.hint')}</p>
          <input id="tt-cancel-reason" value={reason} maxLength={300} required aria-describedby="tt-cancel-hint" onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <FormError message={error} />
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-danger-outline" disabled={busy}>{t('timetable.cancel.confirm')}</button>
          <button type="button" class="btn btn-ghost" onClick={() => setMode('menu')}>{t('common.cancel')}</button>
        </div>
      </form>
    );
  }
  if (mode === 'move') {
    const field = (key: keyof typeof move, label: string, type: 'date' | 'time' | 'text') => {
      const common = { id: `tt-move-${key}`, value: move[key], onInput: (e: { currentTarget: HTMLInputElement }) => setMove({ ...move, [key]: e.currentTarget.value }) };
      return (
        <div class="field">
          <label for={common.id}>{label}</label>
          {type === 'text' ? <input {...common} type="text" maxLength={60} /> : <input {...common} type={type} required />}
        </div>
      );
    };
    return (
      <form class="stack tt-form" onSubmit={(e) => (e.preventDefault(), void run(() => timetableApi.move(id, move)).then(done))}>
        <div class="tt-form-grid">
          {field('date', t('timetable.move.date'), 'date')}
          {field('start', t('timetable.move.start'), 'time')}
          {field('end', t('timetable.move.end'), 'time')}
          {field('room', t('timetable.move.room'), 'text')}
        </div>
        <FormError message={error} />
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-primary" disabled={busy}>{t('timetable.move.confirm')}</button>
          <button type="button" class="btn btn-ghost" onClick={() => setMode('menu')}>{t('common.cancel')}</button>
        </div>
      </form>
    );
  }
  return (
    <div class="stack">
      <div class="tt-actions">
        {occurrence.status === 'cancelled' ? (
          <button type="button" class="btn btn-secondary btn-small" disabled={busy} onClick={() => void run(() => timetableApi.restore(id))}>
            <Icon name="refresh" size={16} />
            {t('timetable.restore')}
          </button>
        ) : (
          <button type="button" class="btn btn-danger-outline btn-small" onClick={() => setMode('cancel')}>
            <Icon name="close" size={16} />
            {t('timetable.cancel.action')}
          </button>
        )}
        <button type="button" class="btn btn-secondary btn-small" onClick={() => setMode('move')}>
          <Icon name="calendar" size={16} />
          {t('timetable.move.action')}
        </button>
        {occurrence.planned && (
          <button type="button" class="btn btn-secondary btn-small" disabled={busy} onClick={() => void run(() => timetableApi.unmove(id))}>
            {t('timetable.unmove')}
          </button>
        )}
      </div>
      <FormError message={error} />
    </div>
  );
}

/** The virtual class of the lesson (every week) or of this occurrence only: none, a room, or a plain https link. */
export function VirtualClassForm({ occurrence, provider, onChanged }: { occurrence: TOccurrence; provider: 'jitsi' | 'bbb'; onChanged: (o: TOccurrence | null) => void }): JSX.Element {
  const { t } = useI18n();
  const { busy, error, run } = useChange(onChanged);
  const current = occurrence.virtual;
  const [kind, setKind] = useState<'none' | 'room' | 'url'>(current ? (current.kind === 'url' ? 'url' : 'room') : 'none');
  const [url, setUrl] = useState(current?.url ?? '');
  const [scope, setScope] = useState<'lesson' | 'occurrence'>(current?.scope ?? 'lesson');
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const ok = await run(async () => {
      if (scope === 'occurrence') return timetableApi.setOccurrenceVirtual(occurrence.occurrenceId, kind === 'none' ? 'inherit' : kind, url);
      await timetableApi.setLessonVirtual(occurrence.lessonId, kind, url);
      return null;
    });
    setSaved(ok);
  };
  const option = (value: typeof kind, label: string) => (
    <label class="tt-radio">
      <input type="radio" name="tt-virtual-kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
      {label}
    </label>
  );
  return (
    <form class="stack tt-form" onSubmit={(e) => void save(e)}>
      <fieldset class="tt-fieldset">
        <legend>{t('timetable.virtual.kind')}</legend>
        {option('none', scope === 'occurrence' ? t('timetable.virtual.inherit') : t('timetable.virtual.none'))}
        {option('room', t(provider === 'bbb' ? 'timetable.virtual.roomBbb' : 'timetable.virtual.roomJitsi'))}
        {option('url', t('timetable.virtual.url'))}
      </fieldset>
      {kind === 'url' && (
        <div class="field">
          <label for="tt-virtual-url">{t('timetable.virtual.urlLabel')}</label>
          <input id="tt-virtual-url" type="url" inputMode="url" placeholder="https://" value={url} required onInput={(e) => setUrl(e.currentTarget.value)} />
        </div>
      )}
      <div class="field">
        <label for="tt-virtual-scope">{t('timetable.virtual.scope')}</label>
        <select id="tt-virtual-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value === 'occurrence' ? 'occurrence' : 'lesson')}>
          <option value="lesson">{t('timetable.virtual.scopeLesson')}</option>
          <option value="occurrence">{t('timetable.virtual.scopeOccurrence')}</option>
        </select>
      </div>
      <FormError message={error} />
      <p class="visually-hidden" role="status">{saved ? t('timetable.virtual.saved') : ''}</p>
      <div class="form-actions form-actions-start">
        <button type="submit" class="btn btn-primary btn-small" disabled={busy}>{t('timetable.virtual.save')}</button>
        {saved && <span class="tt-saved"><Icon name="check" size={16} />{t('timetable.virtual.saved')}</span>}
      </div>
    </form>
  );
}

/** The direction names a substitute teacher for this occurrence only. */
export function SubstituteForm({ occurrence, teachers, onChanged }: { occurrence: TOccurrence; teachers: ReadonlyArray<{ id: string; name: string }>; onChanged: (o: TOccurrence | null) => void }): JSX.Element {
  const { t } = useI18n();
  const { busy, error, run } = useChange(onChanged);
  const [teacherId, setTeacherId] = useState(occurrence.substitute?.id ?? '');
  const save = (e: Event) => {
    e.preventDefault();
    const id = occurrence.occurrenceId;
    void run(() => (teacherId ? timetableApi.substitute(id, teacherId) : timetableApi.unsubstitute(id)));
  };
  return (
    <form class="tt-substitute" onSubmit={save}>
      <div class="field">
        <label for="tt-substitute">{t('timetable.substitute.label')}</label>
        <select id="tt-substitute" value={teacherId} onChange={(e) => setTeacherId(e.currentTarget.value)}>
          <option value="">{t('timetable.substitute.none')}</option>
          {teachers.filter((x) => x.id !== occurrence.teacher.id).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
      </div>
      <button type="submit" class="btn btn-secondary btn-small" disabled={busy}>{t('timetable.substitute.save')}</button>
      <FormError message={error} />
    </form>
  );
}
