/** Homework due in the next days, with its status; and, for teachers, hand-ins to review. */
import type { JSX } from 'preact';
import { Link } from '../../../app/router.tsx';
import { Icon } from '../../../app/ui/icons.tsx';
import { Badge, Card, Empty } from '../../../app/ui/page.tsx';
import { useI18n } from '../../../lib/i18n.ts';
import type { TodayHomework, TToday } from './today-types.ts';
import { dayName, daysFrom } from './when.ts';

const TONE = { todo: 'neutral', submitted: 'success', late: 'warning', reviewed: 'info' } as const;

function useDue(): (today: string, dueDate: string) => string {
  const { t, locale } = useI18n();
  return (today, dueDate) => {
    const days = daysFrom(today, dueDate);
    if (days <= 0) return t('today.dueToday');
    if (days === 1) return t('today.dueTomorrow');
    return t('today.dueOn', { date: dayName(dueDate, locale) });
  };
}

export function HomeworkList({ items, today }: { items: TodayHomework[]; today: string }): JSX.Element {
  const { t } = useI18n();
  const due = useDue();
  const status = { todo: t('today.status.todo'), submitted: t('today.status.submitted'), late: t('today.status.late'), reviewed: t('today.status.reviewed') };
  if (items.length === 0) return <Empty>{t('today.noHomework')}</Empty>;
  return (
    <ul class="today-list">
      {items.map((h) => (
        <li key={`${h.pupilId}-${h.homeworkId}`} class="today-item">
          <div class="today-body">
            <p class="today-main">
              {h.subject} <span class="muted">{due(today, h.dueDate)}</span>
            </p>
            <p class="small">{h.summary}</p>
          </div>
          <div class="today-badges">
            {(h.requiresSubmission || h.status !== 'todo') && <Badge tone={TONE[h.status]}>{status[h.status]}</Badge>}
            {h.mark !== null && <Badge tone="info">{t('today.mark', { mark: h.mark.toLocaleString() })}</Badge>}
            {h.requiresSubmission && h.status === 'todo' && <span class="muted small">{t('today.handIn')}</span>}
          </div>
        </li>
      ))}
    </ul>
  );
}

export function HomeworkCard({ items, today }: { items: TodayHomework[]; today: string }): JSX.Element {
  const { t } = useI18n();
  return (
    <Card
      title={t('today.homework')}
      icon="homework"
      level={3}
      footer={
        <Link class="card-link" href="/devoirs">
          {t('today.homeworkLink')}
          <Icon name="chevronRight" size={16} />
        </Link>
      }
    >
      <HomeworkList items={items} today={today} />
    </Card>
  );
}

export function ReviewCard({ items }: { items: TToday['toReview'] }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <Card
      title={t('today.toReview')}
      icon="check"
      level={3}
      footer={
        <Link class="card-link" href="/cahier-de-textes">
          {t('today.cahierLink')}
          <Icon name="chevronRight" size={16} />
        </Link>
      }
    >
      {items.length === 0 ? (
        <Empty>{t('today.noReview')}</Empty>
      ) : (
        <ul class="today-list">
          {items.map((r) => (
            <li key={r.homeworkId} class="today-item">
              <div class="today-body">
                <p class="today-main">
                  <Link href={`/cahier-de-textes/devoirs/${r.homeworkId}`}>
                    {r.subject} · {r.className}
                  </Link>{' '}
                  <span class="muted">{t('today.dueOn', { date: dayName(r.dueDate, locale) })}</span>
                </p>
                <p class="muted small">{t('today.reviewCounts', { toReview: r.toReview, late: r.late, missing: r.missing })}</p>
              </div>
              {r.toReview > 0 && <Badge tone="warning">{r.toReview}</Badge>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
