import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatInstant } from '@/lib/dates';
import { OrgContext } from '@/lib/org';
import type { Role } from '@/lib/permissions';

const apiGet = vi.fn();
vi.mock('@/api/client', () => ({ apiGet: (...a: unknown[]) => apiGet(...a) }));

const { default: EventsPage, formatData } = await import('./EventsPage');
const { default: SettingsLayout } = await import('./SettingsLayout');

const TZ = 'America/New_York';

function wrap(ui: ReactNode, role: Role = 'owner') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <OrgContext.Provider value={{ orgId: 'org_1', role, org: { id: 'org_1', name: 'Ann', baseCurrency: 'USD', country: 'US', timezone: TZ, createdAt: '', updatedAt: '' } }}>
          {ui}
        </OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const paid = {
  id: 'evt_01J0000000000000000000000A',
  type: 'payment.received',
  orgId: 'org_1',
  occurredAt: '2027-03-01T14:05:00Z',
  actor: 'u-ann',
  subject: { type: 'payment', id: 'pay_1' },
  data: { paymentId: 'pay_1', amount: { amount: '1250.00', currency: 'USD' }, allocations: [{ chargeId: 'chg_1', amount: '1250.00' }] },
  version: 1,
};
const rent = {
  id: 'evt_01J0000000000000000000000B',
  type: 'charge.created',
  orgId: 'org_1',
  occurredAt: '2027-03-02T05:00:00Z',
  actor: 'system:rent-run',
  subject: { type: 'charge', id: 'chg_2' },
  data: {},
  version: 2,
};
const late = { ...rent, id: 'evt_01J0000000000000000000000C', type: 'late_fee.assessed', subject: { type: 'charge', id: 'chg_3' }, data: { chargeId: 'chg_3' } };

describe('the event log', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiGet.mockImplementation(async (path: string, _p: unknown, query?: { cursor?: string }) => {
      if (path === '/api/v1/orgs/{orgId}/members') return { items: [{ userId: 'u-ann', email: 'ann@example.com', role: 'owner' }], nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/events') return query?.cursor === 'c2' ? { items: [late], nextCursor: null } : { items: [paid, rent], nextCursor: 'c2' };
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('lists events oldest first with when, type, subject, actor and the data as formatted JSON, paging by cursor', async () => {
    wrap(<EventsPage />, 'accountant');
    const table = await screen.findByRole('table', { name: `Event log, oldest first (times in ${TZ})` });
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/events', { orgId: 'org_1' }, { limit: 50, cursor: undefined }, expect.anything());
    const rows = within(table).getAllByRole('row').slice(1) as HTMLElement[];
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent(formatInstant(paid.occurredAt, TZ));
    expect(first).toHaveTextContent('payment.received');
    expect(first).toHaveTextContent('payment pay_1');
    expect(await within(first).findByText('ann@example.com')).toBeInTheDocument();

    // The data sits folded in a <details>, as indented JSON in a <pre>.
    const details = first.querySelector('details') as HTMLDetailsElement;
    expect(details).not.toBeNull();
    expect(details.open).toBe(false);
    expect(within(details).getByText('Data').tagName).toBe('SUMMARY');
    const pre = details.querySelector('pre') as HTMLPreElement;
    expect(pre.textContent).toBe(JSON.stringify(paid.data, null, 2));
    expect(pre.textContent).toContain('\n  "amount": {\n    "amount": "1250.00",');
    await userEvent.setup().click(within(details).getByText('Data'));
    expect(details.open).toBe(true);

    // The platform's own actions read as system:…, a later shape shows its version, no data reads as a dash.
    expect(second).toHaveTextContent('system:rent-run');
    expect(second).toHaveTextContent('charge.created v2');
    expect(second.querySelector('details')).toBeNull();
    expect(second).toHaveTextContent('—');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByText('late_fee.assessed')).toBeInTheDocument();
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/events', { orgId: 'org_1' }, { limit: 50, cursor: 'c2' }, expect.anything());
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('filters the loaded events by type prefix', async () => {
    const user = userEvent.setup();
    wrap(<EventsPage />);
    const table = await screen.findByRole('table');
    await user.type(screen.getByLabelText('Type starts with'), 'Payment.');
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByText('1 of 2 loaded events shown.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Type starts with'));
    await user.type(screen.getByLabelText('Type starts with'), 'tenant');
    expect(screen.getByText('No loaded event’s type starts with “tenant”.')).toBeInTheDocument();
  });

  it('formats data as JSON and nothing for an empty object', () => {
    expect(formatData({})).toBeNull();
    expect(formatData(null)).toBeNull();
    expect(formatData({ a: 1 })).toBe('{\n  "a": 1\n}');
  });

  it('shows the tab to a role that may read events', () => {
    wrap(<SettingsLayout />, 'manager');
    expect(screen.getByRole('link', { name: 'Event log' })).toHaveAttribute('href', '/orgs/org_1/settings/events');
  });

  it('hides the tab and the log from a readonly member', () => {
    wrap(
      <>
        <SettingsLayout />
        <EventsPage />
      </>,
      'readonly',
    );
    expect(screen.queryByRole('link', { name: 'Event log' })).not.toBeInTheDocument();
    expect(screen.getByText('Your role does not give access to the event log.')).toBeInTheDocument();
    expect(apiGet).not.toHaveBeenCalled();
  });
});
