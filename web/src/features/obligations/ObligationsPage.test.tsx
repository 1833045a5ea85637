import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { formatDay, todayIn } from '@/lib/dates';
import { OrgContext } from '@/lib/org';
import { addDays } from './days';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({ apiGet: (...a: unknown[]) => apiGet(...a) }));

const { default: ObligationsPage } = await import('./ObligationsPage');

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

describe('the obligations board', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiGet.mockImplementation(answer);
  });

  it('asks for 90 days ahead in the org time zone and lists open ones first by due date, then fulfilled', async () => {
    renderPage();
    expect(screen.getByRole('heading', { level: 1, name: 'Obligations' })).toBeInTheDocument();
    const horizon = addDays(today, 90);
    expect(screen.getByLabelText('Due before')).toHaveValue(horizon);
    const table = await screen.findByRole('table', { name: `Obligations due before ${formatDay(horizon)}, open first` });
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/obligations', { orgId: 'org_1' }, { dueBefore: horizon }, expect.anything());

    const rows = within(table).getAllByRole('row').slice(1);
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
    await screen.findByRole('table');
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
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1) as [HTMLElement, HTMLElement, HTMLElement];
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
    await screen.findByRole('table');
    const select = screen.getByLabelText('Kind');
    expect(Array.from((select as HTMLSelectElement).options).map((o) => o.textContent)).toEqual(['Everything', 'Documents that expire', 'Deposits to return', 'Notice deadlines', 'Leases ending', 'Workflow tasks due']);
    fireEvent.change(select, { target: { value: 'notice_deadline' } });
    const horizon = addDays(today, 90);
    await waitFor(() => expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/obligations', { orgId: 'org_1' }, { dueBefore: horizon, kind: 'notice_deadline' }, expect.anything()));
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
    expect(screen.getByRole('table')).toHaveTextContent('Give notice of a rent rise or non-renewal');
    fireEvent.change(select, { target: { value: '' } });
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(4));
  });
});
