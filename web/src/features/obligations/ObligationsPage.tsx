import { useId, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { Link } from 'react-router-dom';
import { SelectField, TextField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table, type Column } from '@/components/Table';
import { formatDay, todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { addDays, formatWeekday, weekStart } from './days';
import { SubjectLink } from './Subject';
import './obligations.css';

type Obligation = Schemas['Obligation'];
type ObligationKind = Schemas['ObligationKind'];

/** Each kind as a row names it, and as the filter offers it. */
export const KINDS: { value: ObligationKind; label: string; filter: string }[] = [
  { value: 'document_expiry', label: 'Document expires', filter: 'Documents that expire' },
  { value: 'deposit_return', label: 'Return the deposit', filter: 'Deposits to return' },
  { value: 'notice_deadline', label: 'Notice deadline', filter: 'Notice deadlines' },
  { value: 'lease_end', label: 'Lease ends', filter: 'Leases ending' },
  { value: 'task_due', label: 'Task due', filter: 'Workflow tasks due' },
];

/** The kind's label; none for an item that does not say its kind. */
export function kindLabel(kind: ObligationKind | undefined): string | null {
  if (!kind) return null;
  return KINDS.find((k) => k.value === kind)?.label ?? kind;
}

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

/** One table of the board: `overdue`, `week-<its Monday>` or `done`. */
export interface WeekGroup {
  key: string;
  title: string;
  items: Obligation[];
}

/**
 * The board open first, grouped by week: the overdue ones (due before `today`) as one group,
 * then one group per week of their due day (weeks start on Monday, on the org's calendar days),
 * then the fulfilled ones as "Done". Each group is by due date, then by name; no group is empty.
 */
export function groupByWeek(items: Obligation[], today: string, locale?: string): WeekGroup[] {
  const overdue: Obligation[] = [];
  const weeks = new Map<string, Obligation[]>();
  const done: Obligation[] = [];
  for (const o of ordered(items)) {
    if (o.status === 'fulfilled') done.push(o);
    else if (o.dueOn < today) overdue.push(o);
    else {
      const monday = weekStart(o.dueOn);
      const week = weeks.get(monday);
      if (week) week.push(o);
      else weeks.set(monday, [o]);
    }
  }
  const thisWeek = weekStart(today);
  const nextWeek = addDays(thisWeek, 7);
  // This week and next are named without their year, unless the week began in another year than today.
  const from = (monday: string) => formatWeekday(monday, monday.slice(0, 4) !== today.slice(0, 4), locale);
  const title = (monday: string) =>
    monday === thisWeek ? `This week (from ${from(monday)})` : monday === nextWeek ? `Next week (from ${from(monday)})` : `Week of ${formatWeekday(monday, true, locale)}`;
  const groups: WeekGroup[] = [];
  if (overdue.length) groups.push({ key: 'overdue', title: 'Overdue', items: overdue });
  // In due order already: each week was added with its first item.
  for (const [monday, week] of weeks) groups.push({ key: `week-${monday}`, title: title(monday), items: week });
  if (done.length) groups.push({ key: 'done', title: 'Done', items: done });
  return groups;
}

const count = (n: number) => `${n} ${n === 1 ? 'obligation' : 'obligations'}`;

function StatusBadge({ o, today }: { o: Obligation; today: string }) {
  const s = standing(o, today);
  if (s === 'fulfilled')
    return <span className="status fulfilled">{o.fulfilledByVersion ? `Fulfilled (version ${o.fulfilledByVersion})` : 'Fulfilled'}</span>;
  if (s === 'overdue') return <span className="status overdue">Overdue</span>;
  if (s === 'due-today') return <span className="status overdue">Due today</span>;
  return <span className="status">Open</span>;
}

/** Rows are unique by what they are about and when (lease items have no document). */
const rowKey = (o: Obligation) => [o.kind ?? '', o.documentId ?? '', o.subject.type, o.subject.id, o.policyId ?? '', o.dueOn, o.name].join(':');

/** What the obligation is: its kind, its name, and what the rule asks (linked to the rule). */
function What({ o, orgId }: { o: Obligation; orgId: string }) {
  const kind = kindLabel(o.kind);
  // A deposit return is named "Return the deposit" already: its kind would only repeat it.
  const showKind = kind && kind.toLowerCase() !== o.name.trim().toLowerCase();
  return (
    <>
      {showKind ? <span className={`obligation-kind kind-${o.kind}`}>{kind}</span> : null}
      <span className="obligation-name">{o.name}</span>
      {o.detail ? (
        <small className="obligation-detail">
          {o.detail}
          {o.policyId ? (
            <>
              {' '}
              <Link to={`/orgs/${orgId}/policies#rule-${encodeURIComponent(o.policyId)}`} aria-label={`The rule: ${o.policyId}`}>
                See the rule
              </Link>
            </>
          ) : null}
        </small>
      ) : null}
    </>
  );
}

/**
 * `/orgs/:orgId/obligations`: what falls due before a day — documents to renew, deposits to
 * return after move-out, last days to give notice before a lease ends — open first, grouped by
 * week (overdue ones first, fulfilled ones last), of one kind or all.
 */
export default function ObligationsPage() {
  const { orgId, org } = useOrg();
  const today = todayIn(org.timezone);
  const [dueBefore, setDueBefore] = useState(() => addDays(today, DEFAULT_HORIZON_DAYS));
  const [kind, setKind] = useState<ObligationKind | ''>('');
  const board = useQuery({
    queryKey: ['orgs', orgId, 'obligations', dueBefore, kind],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/obligations', { orgId }, kind ? { dueBefore, kind } : { dueBefore }, { signal }),
    enabled: !!dueBefore,
    placeholderData: keepPreviousData,
  });
  const headingId = useId();
  const items = board.data ? board.data.items : [];
  const groups = groupByWeek(items, today);
  const columns: Column<Obligation>[] = [
    { header: 'What', cell: (o) => <What o={o} orgId={orgId} /> },
    { header: 'Subject', cell: (o) => <SubjectLink orgId={orgId} subject={o.subject} /> },
    { header: 'Due', cell: (o) => formatDay(o.dueOn) },
    { header: 'Status', cell: (o) => <StatusBadge o={o} today={today} /> },
  ];
  const counts = { overdue: 0, open: 0, fulfilled: 0 };
  for (const o of items) {
    const s = standing(o, today);
    counts[s === 'due-today' ? 'overdue' : s] += 1;
  }

  return (
    <>
      <PageHeader title="Obligations">
        <p className="muted">What falls due: documents to renew, deposits to return after move-out and the last days to give notice before a lease ends. Open ones first, by week; done ones last.</p>
      </PageHeader>
      <form className="form card narrow obligations-form" onSubmit={(e) => e.preventDefault()}>
        <div className="form-row">
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
          <SelectField label="Kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ObligationKind | '')} error={board.error}>
            <option value="">Everything</option>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.filter}
              </option>
            ))}
          </SelectField>
        </div>
      </form>
      {!dueBefore ? null : board.isPending ? (
        <Loading label="Loading obligations…" />
      ) : board.error && !board.data ? (
        <ErrorState error={board.error} />
      ) : board.data ? (
        <div aria-busy={board.isFetching}>
          <Section title="Due">
            {items.length === 0 ? (
              <Empty>
                Nothing {kind ? `of “${KINDS.find((k) => k.value === kind)?.filter.toLowerCase()}” ` : ''}falls due before {formatDay(dueBefore)}.
              </Empty>
            ) : (
              <>
                <p className="obligations-summary">
                  {counts.overdue} overdue or due today, {counts.open} open, {counts.fulfilled} fulfilled.
                </p>
                {groups.map((g) => {
                  const id = `${headingId}-${g.key}`;
                  return (
                    <section key={g.key} className={`obligations-group group-${g.key === 'overdue' || g.key === 'done' ? g.key : 'week'}`} aria-labelledby={id}>
                      <h3 id={id}>
                        {g.title} <span className="obligations-group-count">({g.items.length})</span>
                      </h3>
                      <Table<Obligation> caption={`${g.title}: ${count(g.items.length)}`} rows={g.items} rowKey={rowKey} columns={columns} />
                    </section>
                  );
                })}
              </>
            )}
          </Section>
        </div>
      ) : null}
    </>
  );
}
