import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { formatDay, todayIn } from '@/lib/dates';
import { OrgContext } from '@/lib/org';
import { addDays, formatWeekday, weekStart } from './days';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({ apiGet: (...a: unknown[]) => apiGet(...a) }));

const { default: ObligationsPage, groupByWeek } = await import('./ObligationsPage');

const TZ = 'America/New_York';
const today = todayIn(TZ);

// As a server might send them (the page orders them itself too): fulfilled mixed in.
const items = [
  { documentId: 'doc_ins', name: 'Insurance certificate', dueOn: addDays(today, 40), status: 'fulfilled', fulfilledByVersion: 2, subject: { type: 'building', id: 'bld_1' } },
  { documentId: 'doc_lic', name: 'Rental licence', dueOn: addDays(today, 30), status: 'open', subject: { type: 'building', id: 'bld_1' } },
  { documentId: 'doc_lease', name: 'Signed lease', dueOn: addDays(today, -5), status: 'open', subject: { type: 'lease', id: 'lse_1' } },
  { documentId: 'doc_id', name: 'Photo ID', dueOn: addDays(today, 10), status: 'open', subject: { type: 'tenant', id: 'tnt_1' } },
  { documentId: 'doc_unit', name: 'Gas safety', dueOn: addDays(today, 60), status: 'open', subject: { type: 'unit', id: 'unt_1' } },
];

function answer(path: string, params: Record<string, string>, query?: { dueBefore?: string }) {
  switch (path) {
    case '/api/v1/orgs/{orgId}/obligations':
      if (query?.dueBefore === '1900-01-01')
        return Promise.reject(new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'dueBefore: too early', errors: [{ field: 'dueBefore', message: 'too early' }] }));
      if (query?.dueBefore === '2000-01-01') return Promise.resolve({ items: [] });
      return Promise.resolve({ items });
    case '/api/v1/orgs/{orgId}/leases/{leaseId}':
      return Promise.resolve({ id: 'lse_1', unitId: 'unt_1', tenantIds: ['tnt_1'] });
    case '/api/v1/orgs/{orgId}/tenants/{tenantId}':
      return Promise.resolve({ id: params.tenantId, firstName: 'Jane', lastName: 'Doe' });
    case '/api/v1/orgs/{orgId}/buildings/{buildingId}':
      return Promise.resolve({ id: params.buildingId, name: 'Maple Court' });
    case '/api/v1/orgs/{orgId}/units/{unitId}':
      return Promise.resolve({ id: params.unitId, label: '101', buildingId: 'bld_1' });
  }
  return Promise.reject(new Error(`unexpected GET ${path}`));
}

/** Each table's data rows (its header row left out), table by table. */
const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);
const allRows = () => screen.getAllByRole('table').flatMap(rowsOf);

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <OrgContext.Provider
          value={{ orgId: 'org_1', role: 'readonly', org: { id: 'org_1', name: 'Ann', baseCurrency: 'USD', country: 'US', timezone: TZ, createdAt: '', updatedAt: '' } }}
        >
          <ObligationsPage />
        </OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('addDays', () => {
  it('counts whole calendar days across months, leap days and years', () => {
    expect(addDays('2027-01-30', 30)).toBe('2027-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-12-15', 90)).toBe('2028-03-14');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    // A DST change in between does not shift the day.
    expect(addDays('2027-03-13', 1)).toBe('2027-03-14');
    expect(addDays('2027-11-06', 1)).toBe('2027-11-07');
  });
});

describe('weekStart', () => {
  it('is the Monday on or before the day, across months and years', () => {
    expect(weekStart('2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(weekStart('2026-12-09')).toBe('2026-12-07');
    expect(weekStart('2026-12-13')).toBe('2026-12-07'); // a Sunday: the Monday before
    expect(weekStart('2026-12-14')).toBe('2026-12-14');
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
    expect(weekStart('2027-03-01')).toBe('2027-03-01');
    expect(weekStart('2027-02-28')).toBe('2027-02-22');
    // Around a DST change (the US's 2027-03-14, Europe's 2027-03-28) on UTC dates: no shift.
    expect(weekStart('2027-03-14')).toBe('2027-03-08');
    expect(weekStart('2027-03-28')).toBe('2027-03-22');
    expect(weekStart('not a day')).toBe('not a day');
  });
});

describe('groupByWeek', () => {
  type Item = Parameters<typeof groupByWeek>[0][number];
  const item = (name: string, dueOn: string, status: 'open' | 'fulfilled' = 'open'): Item => ({
    documentId: `doc_${name}`,
    name,
    dueOn,
    status,
    subject: { type: 'building', id: 'bld_1' },
  });
  const shape = (groups: ReturnType<typeof groupByWeek>) => groups.map((g) => [g.key, g.title, g.items.map((o) => o.name)]);

  it('puts overdue ones first, then one group per week from Monday to Sunday, then the fulfilled ones', () => {
    // Wednesday 9 December 2026; the server's order is not the board's.
    const today = '2026-12-09';
    const items = [
      item('fulfilled late', '2026-12-25', 'fulfilled'),
      item('week after Mon', '2026-12-21'),
      item('next Sun', '2026-12-20'),
      item('next Mon', '2026-12-14'),
      item('this Sun', '2026-12-13'),
      item('today b', today),
      item('today a', today),
      item('yesterday', '2026-12-08'),
      item('last month', '2026-11-20'),
      item('fulfilled past', '2026-11-30', 'fulfilled'),
    ];
    expect(shape(groupByWeek(items, today, 'en-GB'))).toEqual([
      ['overdue', 'Overdue', ['last month', 'yesterday']],
      ['week-2026-12-07', 'This week (from Mon 7 Dec)', ['today a', 'today b', 'this Sun']],
      ['week-2026-12-14', 'Next week (from Mon 14 Dec)', ['next Mon', 'next Sun']],
      ['week-2026-12-21', 'Week of Mon 21 Dec 2026', ['week after Mon']],
      ['done', 'Done', ['fulfilled past', 'fulfilled late']],
    ]);
  });

  it('names a week by its Monday across the year boundary', () => {
    // Wednesday 30 December 2026: this week runs to Sunday 3 January 2027.
    const items = [item('Jan 3', '2027-01-03'), item('Jan 4', '2027-01-04'), item('Jan 10', '2027-01-10'), item('Jan 11', '2027-01-11'), item('Dec 31', '2026-12-31')];
    expect(shape(groupByWeek(items, '2026-12-30', 'en-GB'))).toEqual([
      ['week-2026-12-28', 'This week (from Mon 28 Dec)', ['Dec 31', 'Jan 3']],
      ['week-2027-01-04', 'Next week (from Mon 4 Jan 2027)', ['Jan 4', 'Jan 10']],
      ['week-2027-01-11', 'Week of Mon 11 Jan 2027', ['Jan 11']],
    ]);
    // Friday 1 January 2027: this week began last year, and says so; 31 December is overdue.
    expect(shape(groupByWeek(items, '2027-01-01', 'en-GB'))).toEqual([
      ['overdue', 'Overdue', ['Dec 31']],
      ['week-2026-12-28', 'This week (from Mon 28 Dec 2026)', ['Jan 3']],
      ['week-2027-01-04', 'Next week (from Mon 4 Jan)', ['Jan 4', 'Jan 10']],
      ['week-2027-01-11', 'Week of Mon 11 Jan 2027', ['Jan 11']],
    ]);
  });

  it('leaves out empty groups', () => {
    expect(groupByWeek([], '2026-12-09')).toEqual([]);
    // Nothing overdue, nothing this week or next, a week without anything in between.
    const items = [item('later', '2027-01-06'), item('soon', '2026-12-22'), item('done', '2026-12-01', 'fulfilled')];
    expect(shape(groupByWeek(items, '2026-12-09', 'en-GB'))).toEqual([
      ['week-2026-12-21', 'Week of Mon 21 Dec 2026', ['soon']],
      ['week-2027-01-04', 'Week of Mon 4 Jan 2027', ['later']],
      ['done', 'Done', ['done']],
    ]);
    expect(shape(groupByWeek([item('done', '2026-12-20', 'fulfilled')], '2026-12-09'))).toEqual([['done', 'Done', ['done']]]);
  });

  it('names weeks in the page locale by default', () => {
    const [group] = groupByWeek([item('x', '2027-03-10')], '2026-12-09');
    expect(group?.title).toBe(`Week of ${formatWeekday('2027-03-08', true)}`);
    expect(formatWeekday('2027-03-08', true, 'en-US')).toBe('Mon Mar 8, 2027');
  });
});

describe('the obligations board', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiGet.mockImplementation(answer);
  });

  it('asks for 90 days ahead in the org time zone and lists overdue ones first, then open ones by week, then fulfilled', async () => {
    renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Obligations' })).toBeInTheDocument();
    const horizon = addDays(today, 90);
    expect(screen.getByLabelText('Due before')).toHaveValue(horizon);
    const overdue = await screen.findByRole('table', { name: 'Overdue: 1 obligation' });
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/obligations', { orgId: 'org_1' }, { dueBefore: horizon }, expect.anything());

    // One group a table, each under its heading with its count: 10, 30 and 60 days ahead are three weeks.
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings).toHaveLength(5);
    expect(headings[0]).toBe('Overdue (1)');
    for (const h of headings.slice(1, 4)) expect(h).toMatch(/^(Next week \(from .+\)|Week of .+) \(1\)$/);
    expect(headings[4]).toBe('Done (1)');
    const tables = screen.getAllByRole('table');
    expect(tables[0]).toBe(overdue);
    expect(tables[4]).toBe(screen.getByRole('table', { name: 'Done: 1 obligation' }));
    // Each group is a region named by its heading.
    expect(within(screen.getByRole('region', { name: 'Overdue (1)' })).getByRole('table')).toBe(overdue);
    expect(screen.getByRole('region', { name: headings[1] ?? '' })).toHaveTextContent('Photo ID');
    expect(tables.map((t) => rowsOf(t).length)).toEqual([1, 1, 1, 1, 1]);

    const rows = allRows();
    const cell = (r: HTMLElement, i: number) => within(r).getAllByRole('cell')[i] as HTMLElement;
    expect(rows.map((r) => cell(r, 0).textContent)).toEqual(['Signed lease', 'Photo ID', 'Rental licence', 'Gas safety', 'Insurance certificate']);
    expect(rows.map((r) => cell(r, 3).textContent)).toEqual(['Overdue', 'Open', 'Open', 'Open', 'Fulfilled (version 2)']);
    expect(cell(rows[0] as HTMLElement, 2)).toHaveTextContent(formatDay(addDays(today, -5)));
    expect(screen.getByText('1 overdue or due today, 3 open, 1 fulfilled.')).toBeInTheDocument();

    // Each subject links to its page, named once its record is loaded.
    const [lease, tenant, building, unit, fulfilled] = rows as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    expect(await within(lease).findByRole('link', { name: 'Jane Doe' })).toHaveAttribute('href', '/orgs/org_1/leases/lse_1');
    expect(lease).toHaveTextContent('Lease');
    expect(await within(tenant).findByRole('link', { name: 'Jane Doe' })).toHaveAttribute('href', '/orgs/org_1/tenants/tnt_1');
    expect(await within(building).findByRole('link', { name: 'Maple Court' })).toHaveAttribute('href', '/orgs/org_1/buildings/bld_1');
    expect(await within(unit).findByRole('link', { name: 'Maple Court · 101' })).toHaveAttribute('href', '/orgs/org_1/buildings/bld_1');
    expect(within(fulfilled).getByRole('link')).toHaveAttribute('href', '/orgs/org_1/buildings/bld_1');
  });

  it('shows the API error for dueBefore under the field, and an empty state', async () => {
    renderPage();
    await screen.findAllByRole('table');
    const field = screen.getByLabelText('Due before');
    fireEvent.change(field, { target: { value: '1900-01-01' } });
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('too early').length).toBeGreaterThan(0);
    fireEvent.change(field, { target: { value: '2000-01-01' } });
    expect(await screen.findByText(`Nothing falls due before ${formatDay('2000-01-01')}.`)).toBeInTheDocument();
  });
});

describe('deposit returns and notice deadlines on the board', () => {
  const leaseItems = [
    {
      kind: 'deposit_return',
      name: 'Return the deposit',
      dueOn: addDays(today, 3),
      status: 'open',
      subject: { type: 'lease', id: 'lse_1' },
      detail: 'within 14 days of move-out on 2026-03-31 (New York deposit return (HSTPA 2019))',
      policyId: 'us-ny-deposit-return',
    },
    {
      kind: 'notice_deadline',
      name: 'Give notice of a rent rise or non-renewal',
      dueOn: addDays(today, 20),
      status: 'open',
      subject: { type: 'lease', id: 'lse_2' },
      detail: '60 days before the lease ends on 2026-12-31 (New York notice of rent increase ≥ 5% or non-renewal (RPL §226-c as amended by Good Cause Eviction))',
      policyId: 'us-ny-notice-226c-gce',
    },
    { kind: 'document_expiry', documentId: 'doc_ins', name: 'Insurance certificate', dueOn: addDays(today, 40), status: 'open', subject: { type: 'building', id: 'bld_1' } },
  ];

  beforeEach(() => {
    apiGet.mockReset();
    apiGet.mockImplementation((path: string, params: Record<string, string>, query?: { kind?: string }) => {
      if (path === '/api/v1/orgs/{orgId}/obligations') return Promise.resolve({ items: leaseItems.filter((o) => !query?.kind || o.kind === query.kind) });
      if (path === '/api/v1/orgs/{orgId}/leases/{leaseId}') return Promise.resolve({ id: params.leaseId, unitId: 'unt_1', tenantIds: ['tnt_1'] });
      return answer(path, params);
    });
  });

  it('names each kind, says what the rule asks with a link to the rule, and links the lease with its unit', async () => {
    renderPage();
    expect(screen.getByText(/documents to renew, deposits to return after move-out and the last days to give notice/)).toBeInTheDocument();
    await screen.findAllByRole('table');
    const rows = allRows() as [HTMLElement, HTMLElement, HTMLElement];
    const what = rows.map((r) => within(r).getAllByRole('cell')[0] as HTMLElement);
    // Its name says its kind already.
    expect(what[0]).toHaveTextContent(/^Return the depositwithin 14 days of move-out on 2026-03-31 \(New York deposit return \(HSTPA 2019\)\) See the rule$/);
    expect(what[1]).toHaveTextContent(/^Notice deadlineGive notice of a rent rise or non-renewal60 days before the lease ends/);
    expect(what[2]).toHaveTextContent('Document expiresInsurance certificate');
    expect(within(what[0] as HTMLElement).getByRole('link', { name: 'The rule: us-ny-deposit-return' })).toHaveAttribute('href', '/orgs/org_1/policies#rule-us-ny-deposit-return');
    expect(within(what[2] as HTMLElement).queryByRole('link')).not.toBeInTheDocument();
    expect(await within(rows[0]).findByRole('link', { name: 'Jane Doe' })).toHaveAttribute('href', '/orgs/org_1/leases/lse_1');
    expect(await within(rows[0]).findByText('Maple Court · 101')).toBeInTheDocument();
    expect(await within(rows[1]).findByRole('link', { name: 'Jane Doe' })).toHaveAttribute('href', '/orgs/org_1/leases/lse_2');
  });

  it('filters by kind, asking the API for that kind only', async () => {
    renderPage();
    await screen.findAllByRole('table');
    const select = screen.getByLabelText('Kind');
    expect(Array.from((select as HTMLSelectElement).options).map((o) => o.textContent)).toEqual(['Everything', 'Documents that expire', 'Deposits to return', 'Notice deadlines', 'Leases ending', 'Workflow tasks due']);
    fireEvent.change(select, { target: { value: 'notice_deadline' } });
    const horizon = addDays(today, 90);
    await waitFor(() => expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/obligations', { orgId: 'org_1' }, { dueBefore: horizon, kind: 'notice_deadline' }, expect.anything()));
    await waitFor(() => expect(allRows()).toHaveLength(1));
    expect(screen.getByRole('table')).toHaveTextContent('Give notice of a rent rise or non-renewal');
    fireEvent.change(select, { target: { value: '' } });
    await waitFor(() => expect(allRows()).toHaveLength(3));
  });
});
