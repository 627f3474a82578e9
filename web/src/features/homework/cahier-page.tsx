/**
 * « Cahier de textes » for teachers: pick a class and subject, read the lesson entries and the
 * homework by date, add either, open an assignment's hand-ins.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, navigate, useQueryParam } from '../../app/router.tsx';
import { currentMe } from '../../app/session.ts';
import { FormError } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge, Empty, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { useResource } from '../../lib/use-resource.ts';
import { HomeworkForm, LessonForm } from './cahier-forms.tsx';
import { attachmentUrl, homeworkApi, type TClassHomework, type THomework, type TLesson, type TTeachingList } from './homework-api.ts';
import { capitalise, dayName, dueText, FileLinks, Prose, useAction } from './homework-ui.tsx';

type Teaching = TTeachingList['teaching'][number];

function TeachingPicker({ teaching, value, onPick }: { teaching: Teaching[]; value: string; onPick: (key: string) => void }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <div class="field hw-picker">
      <label for="hw-teaching">{t('homework.cahier.pick')}</label>
      <select id="hw-teaching" value={value} onChange={(e) => onPick(e.currentTarget.value)}>
        {teaching.map((x) => (
          <option key={`${x.classId}:${x.subject.code}`} value={`${x.classId}:${x.subject.code}`}>
            {x.className} — {subjectLabel(x.subject.code, locale)}
          </option>
        ))}
      </select>
    </div>
  );
}

function HomeworkCard({ item, mine, onDelete }: { item: THomework; mine: boolean; onDelete: (item: THomework) => void }): JSX.Element {
  const { t, tn, locale } = useI18n();
  const c = item.counts;
  // An assignment with hand-ins is closed rather than deleted (the server refuses it too).
  const handedIn = c !== null && c.submitted + c.late > 0;
  return (
    <li class="card hw-entry">
      <div class="hw-entry-head">
        <h3 class="hw-entry-title">{dueText(item, t, locale)}</h3>
        <div class="chip-row">
          {item.requiresSubmission && <Badge tone="info">{t('homework.item.handInAsked')}</Badge>}
          {item.closedAt && <Badge tone="warning">{t('homework.item.closed')}</Badge>}
        </div>
      </div>
      <Prose text={item.instructions} />
      <FileLinks files={item.attachments} href={(f) => attachmentUrl(item.id, f)} label={t('homework.files.attached')} />
      {c && (
        <p class="muted hw-counts">
          {[tn('homework.count.submitted', c.submitted), tn('homework.count.late', c.late), tn('homework.count.missing', c.missing)].join(' · ')}
        </p>
      )}
      {(item.requiresSubmission || mine) && (
        <div class="hw-entry-actions">
          {item.requiresSubmission && mine && (
            <Link class="btn btn-secondary btn-small" href={`/cahier-de-textes/devoirs/${item.id}`}>
              {t('homework.item.review')}
              <Icon name="chevronRight" size={16} />
            </Link>
          )}
          {mine && !handedIn && (
            <button type="button" class="btn btn-ghost btn-small" onClick={() => onDelete(item)}>
              {t('homework.item.delete')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function LessonCard({ lesson, mine, onDelete }: { lesson: TLesson; mine: boolean; onDelete: (lesson: TLesson) => void }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <li class="card hw-entry">
      <div class="hw-entry-head">
        <h3 class="hw-entry-title">{capitalise(dayName(lesson.date, t, locale))}</h3>
        {!mine && <span class="muted">{`${lesson.teacher.firstName} ${lesson.teacher.lastName}`}</span>}
      </div>
      <Prose text={lesson.content} />
      {mine && (
        <div class="hw-entry-actions">
          <button type="button" class="btn btn-ghost btn-small" onClick={() => onDelete(lesson)}>
            {t('homework.lesson.delete')}
          </button>
        </div>
      )}
    </li>
  );
}

function Entries({ data, onChanged }: { data: TClassHomework; onChanged: (message: string) => void }): JSX.Element {
  const { t } = useI18n();
  const me = currentMe();
  const [form, setForm] = useState<'lesson' | 'homework' | null>(null);
  const { error, run } = useAction();
  const formRef = useRef<HTMLDivElement>(null);
  useEffect(() => formRef.current?.querySelector<HTMLElement>('h2')?.focus(), [form]);
  const done = (message: string) => {
    setForm(null);
    onChanged(message);
  };
  const remove = async (what: 'lesson' | 'homework', id: string) => {
    if (!window.confirm(t(what === 'lesson' ? 'homework.lesson.confirmDelete' : 'homework.item.confirmDelete'))) return;
    if (await run(() => (what === 'lesson' ? homeworkApi.deleteLesson(id) : homeworkApi.deleteHomework(id)))) onChanged(t('homework.deleted'));
  };
  const props = { classId: data.class.id, subject: data.subject.code, onSaved: done, onCancel: () => setForm(null) };
  return (
    <div class="stack-lg">
      {data.canWrite && form === null && (
        <div class="form-actions form-actions-start">
          <button type="button" class="btn btn-primary" onClick={() => setForm('homework')}>
            <Icon name="calendar" size={18} />
            {t('homework.item.new')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={() => setForm('lesson')}>
            <Icon name="book" size={18} />
            {t('homework.lesson.new')}
          </button>
        </div>
      )}
      <div ref={formRef}>
        {form === 'lesson' && <LessonForm {...props} />}
        {form === 'homework' && <HomeworkForm {...props} />}
      </div>
      <FormError message={error} />
      <div class="hw-columns">
        <section aria-labelledby="hw-todo-title">
          <h2 id="hw-todo-title" class="section-title">
            {t('homework.cahier.todo')}
          </h2>
          {data.homework.length === 0 ? (
            <Empty>{t('homework.cahier.noHomework')}</Empty>
          ) : (
            <ul class="hw-list">
              {data.homework.map((h) => (
                <HomeworkCard key={h.id} item={h} mine={h.teacher.id === me?.id} onDelete={(x) => void remove('homework', x.id)} />
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="hw-lessons-title">
          <h2 id="hw-lessons-title" class="section-title">
            {t('homework.cahier.lessons')}
          </h2>
          {data.lessons.length === 0 ? (
            <Empty>{t('homework.cahier.noLessons')}</Empty>
          ) : (
            <ul class="hw-list">
              {data.lessons.map((l) => (
                <LessonCard key={l.id} lesson={l} mine={l.teacher.id === me?.id} onDelete={(x) => void remove('lesson', x.id)} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function ClassHomework({ classId, subject }: { classId: string; subject: string }): JSX.Element {
  const [message, setMessage] = useState('');
  const data = useResource(`hw:${classId}:${subject}`, (signal) => homeworkApi.classHomework(classId, subject, signal));
  return (
    <>
      <p class="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
      {data.status === 'loading' && <Loading />}
      {data.status === 'error' && <ErrorState error={data.error} onRetry={data.reload} />}
      {data.status === 'ready' && (
        <Entries
          data={data.data}
          onChanged={(m) => {
            setMessage(m);
            data.reload();
          }}
        />
      )}
    </>
  );
}

/** The teacher's cahier de textes: `?classe=<id>&matiere=<code>` keeps the choice in the address. */
export function CahierPage(): JSX.Element {
  const { t, locale } = useI18n();
  const teaching = useResource('hw:teaching', (signal) => homeworkApi.teaching(signal));
  const classParam = useQueryParam('classe');
  const subjectParam = useQueryParam('matiere');
  const list = teaching.status === 'ready' ? teaching.data.teaching : [];
  const chosen = list.find((x) => x.classId === classParam && x.subject.code === subjectParam) ?? list[0];
  const pick = (key: string) => {
    const [classId, subject] = key.split(':');
    navigate(`/cahier-de-textes?classe=${encodeURIComponent(classId ?? '')}&matiere=${encodeURIComponent(subject ?? '')}`, { replace: true });
  };
  return (
    <div class="stack-lg">
      <PageHeader title={t('homework.cahier.title')} subtitle={chosen ? `${chosen.className} — ${subjectLabel(chosen.subject.code, locale)}` : undefined} />
      {teaching.status === 'loading' && <Loading />}
      {teaching.status === 'error' && <ErrorState error={teaching.error} onRetry={teaching.reload} />}
      {teaching.status === 'ready' && !chosen && <Empty>{t('homework.cahier.noTeaching')}</Empty>}
      {chosen && (
        <>
          <TeachingPicker teaching={list} value={`${chosen.classId}:${chosen.subject.code}`} onPick={pick} />
          <ClassHomework classId={chosen.classId} subject={chosen.subject.code} />
        </>
      )}
    </div>
  );
}
