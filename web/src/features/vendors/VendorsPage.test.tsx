import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { OrgContext, type OrgContextValue } from '@/lib/org';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiPatch = vi.fn();
const apiDelete = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiPatch: (...a: unknown[]) => apiPatch(...a),
  apiDelete: (...a: unknown[]) => apiDelete(...a),
}));

const { default: VendorsPage } = await import('./VendorsPage');

const t = '2027-01-01T00:00:00Z';
const ORG: OrgContextValue = {
  orgId: 'org_1',
  role: 'owner',
  org: { id: 'org_1', name: 'Ann Apartments', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: t, updatedAt: t },
};
const ACME = { id: 'ven_1', name: 'Acme Plumbing', kind: 'company', email: 'a@acme.test', taxId: '***-**-6789', form1099: true, archived: false, createdAt: t, updatedAt: t };

function Providers({ children, role }: { children: ReactNode; role: OrgContextValue['role'] }) {
  const [qc] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } }));
  return (
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <OrgContext.Provider value={{ ...ORG, role }}>{children}</OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>
  );
}

function renderPage(role: OrgContextValue['role'] = 'owner') {
  render(
    <Providers role={role}>
      <VendorsPage />
    </Providers>,
  );
  return userEvent.setup();
}

describe('vendors', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiPatch, apiDelete]) f.mockReset();
    apiGet.mockImplementation(async (path: string) => {
      if (path.endsWith('/accounts'))
        return { items: [{ id: 'acc_repairs', code: '5140', name: 'Repairs', type: 'expense', scheduleE: '14', archived: false, seeded: true, createdAt: t, updatedAt: t }], nextCursor: null };
      if (path.endsWith('/vendors')) return { items: [ACME], nextCursor: null };
      throw new Error(path);
    });
  });

  it('lists vendors with the masked tax id and the 1099 flag', async () => {
    renderPage();
    const row = (await screen.findByText('Acme Plumbing')).closest('tr')!;
    expect(within(row).getByText('***-**-6789')).toBeInTheDocument();
    expect(within(row).getByText('Yes')).toBeInTheDocument();
  });

  it('creates a vendor and shows the API’s field errors next to their inputs', async () => {
    apiPost.mockRejectedValueOnce(
      new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: 'taxId: must be nine digits', errors: [{ field: 'taxId', message: 'must be nine digits (SSN 123-45-6789 or EIN 12-3456789)' }] }),
    );
    const user = renderPage();
    await user.click(await screen.findByRole('button', { name: 'New vendor' }));
    await user.click(screen.getByRole('button', { name: 'Create vendor' }));
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Enter the vendor’s name.');
    expect(apiPost).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText('Name'), 'Bob Smith');
    await user.selectOptions(screen.getByLabelText('Kind'), 'Individual');
    await user.type(screen.getByLabelText('Tax ID'), '123-45');
    await user.click(screen.getByLabelText('1099 vendor'));
    await user.selectOptions(screen.getByLabelText('Default account'), 'acc_repairs');
    await user.click(screen.getByRole('button', { name: 'Create vendor' }));
    expect(await screen.findByText('must be nine digits (SSN 123-45-6789 or EIN 12-3456789)')).toBeInTheDocument();
    expect(screen.getByLabelText('Tax ID')).toHaveAttribute('aria-invalid', 'true');
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/vendors', { orgId: 'org_1' }, { name: 'Bob Smith', kind: 'individual', email: null, phone: null, taxId: '123-45', form1099: true, defaultAccountId: 'acc_repairs' });
  });

  it('shows the 409 when a vendor with expenses is deleted', async () => {
    apiDelete.mockRejectedValue(new ApiError({ type: 'urn:portfolioos:problem:conflict', title: 'Conflict', status: 409, detail: 'the vendor has expenses; archive it with {"archived": true}' }));
    const user = renderPage();
    const row = (await screen.findByText('Acme Plumbing')).closest('tr')!;
    await user.click(within(row).getByRole('button', { name: /^Delete / }));
    await user.click(within(row).getByRole('button', { name: /^Confirm delete / }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Deleting Acme Plumbing failed. Conflict: the vendor has expenses');
  });

  it('shows no write controls to a read-only member', async () => {
    renderPage('readonly');
    await screen.findByText('Acme Plumbing');
    expect(screen.queryByRole('button', { name: 'New vendor' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  });
});
