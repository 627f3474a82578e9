/**
 * « Aujourd'hui »: what matters at 9:00, first on the page. A pupil sees their lessons, homework,
 * messages and documents; a parent the same per child; a teacher the lessons they give, the work
 * to review and their messages.
 */
import type { JSX } from 'preact';
import type { TDashboard } from '../../../lib/api-types.ts';
import { useI18n } from '../../../lib/i18n.ts';
import { HomeworkCard, HomeworkList, ReviewCard } from './homework-card.tsx';
import { LessonList, LessonsCard } from './lessons-card.tsx';
import { DocumentsCard, MessagesCard } from './messages-documents.tsx';
import { Card } from '../../../app/ui/page.tsx';

function ChildToday({ data, child }: { data: TDashboard; child: NonNullable<TDashboard['parent']>['children'][number] }): JSX.Element {
  const { t } = useI18n();
  const today = data.today;
  const classes = new Set(child.classIds);
  const title = t('today.child', { name: child.firstName, className: child.class?.name ?? '' });
  return (
    <Card title={title} icon="heart" level={3}>
      <h4 class="subheading">{t('today.lessons')}</h4>
      <LessonList lessons={today.lessons.filter((l) => classes.has(l.classId))} showClass={false} />
      <h4 class="subheading">{t('today.homework')}</h4>
      <HomeworkList items={today.homework.filter((h) => h.pupilId === child.id)} today={today.date} />
    </Card>
  );
}

export function TodaySection({ data }: { data: TDashboard }): JSX.Element {
  const { t } = useI18n();
  const { today } = data;
  const isPupil = data.pupil !== undefined;
  const children = data.parent?.children ?? [];
  const pupilClasses = new Set([data.pupil?.class?.id, ...(data.pupil?.groups.map((g) => g.id) ?? [])]);
  return (
    <section class="section" aria-labelledby="section-today">
      <h2 id="section-today" class="section-title">
        {t('today.title')}
      </h2>
      <div class="grid grid-today">
        {data.teacher && <LessonsCard title={t('today.teaching')} lessons={today.teaching} showClass />}
        {data.teacher && <ReviewCard items={today.toReview} />}
        {isPupil && <LessonsCard title={t('today.lessons')} lessons={today.lessons.filter((l) => pupilClasses.has(l.classId))} showClass={false} />}
        {isPupil && <HomeworkCard items={today.homework.filter((h) => h.pupilId === data.user.id)} today={today.date} />}
        {children.map((child) => (
          <ChildToday key={child.id} data={data} child={child} />
        ))}
        <MessagesCard today={today} />
        {(isPupil || children.length > 0) && <DocumentsCard documents={today.documents} />}
      </div>
    </section>
  );
}
