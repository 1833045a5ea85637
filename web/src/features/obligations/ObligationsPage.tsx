import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { TextField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { addDays } from './days';
import { SubjectLink } from './Subject';
import './obligations.css';

type Obligation = Schemas['Obligation'];

/** How far ahead the board looks by default. */
export const DEFAULT_HORIZON_DAYS = 90;

export type Standing = 'overdue' | 'due-today' | 'open' | 'fulfilled';

/** An open obligation whose day has passed (in the org's calendar) is overdue. */
export function standing(o: Obligation, today: string): Standing {
  if (o.status === 'fulfilled') return 'fulfilled';
  if (o.dueOn < today) return 'overdue';
  if (o.dueOn === today) return 'due-today';
  return 'open';
}

/** Open first (overdue ones lead, being the earliest), each group by due date, then by name. */
export function ordered(items: Obligation[]): Obligation[] {
  const rank = (o: Obligation) => (o.status === 'open' ? 0 : 1);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.dueOn.localeCompare(b.dueOn) || a.name.localeCompare(b.name));
}

function StatusBadge({ o, today }: { o: Obligation; today: string }) {
  const s = standing(o, today);
  if (s === 'fulfilled')
    return <span className="status fulfilled">{o.fulfilledByVersion ? `Fulfilled (version ${o.fulfilledByVersion})` : 'Fulfilled'}</span>;
  if (s === 'overdue') return <span className="status overdue">Overdue</span>;
  if (s === 'due-today') return <span className="status overdue">Due today</span>;
  return <span className="status">Open</span>;
}

/** `/orgs/:orgId/obligations`: what falls due before a day (document expiries), open first. */
export default function ObligationsPage() {
  const { orgId, org } = useOrg();
  const today = todayIn(org.timezone);
  const [dueBefore, setDueBefore] = useState(() => addDays(today, DEFAULT_HORIZON_DAYS));
  const board = useQuery({
    queryKey: ['orgs', orgId, 'obligations', dueBefore],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/obligations', { orgId }, { dueBefore }, { signal }),
    enabled: !!dueBefore,
    placeholderData: keepPreviousData,
  });
  const items = board.data ? ordered(board.data.items) : [];
  const counts = { overdue: 0, open: 0, fulfilled: 0 };
  for (const o of items) {
    const s = standing(o, today);
    counts[s === 'due-today' ? 'overdue' : s] += 1;
  }

  return (
    <>
      <PageHeader title="Obligations">
        <p className="muted">Documents that expire and need renewing, open ones first.</p>
      </PageHeader>
      <form className="form card narrow obligations-form" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Due before"
          name="dueBefore"
          type="date"
          value={dueBefore}
          onChange={(e) => setDueBefore(e.target.value)}
          error={board.error}
          invalid={dueBefore ? null : 'Enter a day.'}
          hint={`Today is ${formatDay(today)} (${org.timezone}).`}
        />
      </form>
      {!dueBefore ? null : board.isPending ? (
        <Loading label="Loading obligations…" />
      ) : board.error && !board.data ? (
        <ErrorState error={board.error} />
      ) : board.data ? (
        <div aria-busy={board.isFetching}>
          <Section title="Due">
            {items.length === 0 ? (
              <Empty>Nothing falls due before {formatDay(dueBefore)}.</Empty>
            ) : (
              <>
                <p className="obligations-summary">
                  {counts.overdue} overdue or due today, {counts.open} open, {counts.fulfilled} fulfilled.
                </p>
                <Table<Obligation>
                  caption={`Obligations due before ${formatDay(dueBefore)}, open first`}
                  rows={items}
                  rowKey={(o) => `${o.documentId}:${o.dueOn}`}
                  columns={[
                    { header: 'What', cell: (o) => <span className="obligation-name">{o.name}</span> },
                    { header: 'Subject', cell: (o) => <SubjectLink orgId={orgId} subject={o.subject} /> },
                    { header: 'Due', cell: (o) => formatDay(o.dueOn) },
                    { header: 'Status', cell: (o) => <StatusBadge o={o} today={today} /> },
                  ]}
                />
              </>
            )}
          </Section>
        </div>
      ) : null}
    </>
  );
}
