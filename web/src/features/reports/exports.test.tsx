import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { OrgContext, type OrgContextValue } from '@/lib/org';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { default: ReportsPage } = await import('./ReportsPage');
const { ExportButtons } = await import('./exports');

const org: OrgContextValue = {
  orgId: 'org_1',
  role: 'accountant',
  org: { id: 'org_1', name: 'Ann Apartments', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' },
};

const base = {
  id: 'xpt_1',
  kind: 'general-ledger-csv' as const,
  from: '2025-01-01',
  to: '2025-12-31',
  filename: 'general-ledger-2025-01-01-2025-12-31.csv',
  requestedBy: 'u1',
  createdAt: '2026-03-01T10:00:00Z',
};
const pending = { ...base, status: 'pending' as const };
const ready = { ...base, status: 'ready' as const, size: 4047, readyAt: '2026-03-01T10:00:02Z', download: { url: 'https://files.example/gl.csv?sig=1', expiresAt: '2026-03-01T10:05:00Z' } };

function wrap(ui: ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/orgs/org_1/reports']}>
        <OrgContext.Provider value={org}>{ui}</OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('export buttons', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
  });

  it('asks for the export, polls while pending, and shows the Download link when ready', async () => {
    let reads = 0;
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/orgs/{orgId}/buildings') return { items: [], nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/exports') return { items: [], nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/exports/{exportId}') {
        reads += 1;
        return reads < 2 ? pending : ready;
      }
      throw new Error(`unexpected GET ${path}`);
    });
    apiPost.mockResolvedValue(pending);
    wrap(<ReportsPage />);
    const user = userEvent.setup();
    const year = screen.getByLabelText('Year');
    await user.clear(year);
    await user.type(year, '2025');
    await user.click(screen.getByRole('button', { name: 'Export general ledger (CSV)' }));

    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/exports', { orgId: 'org_1' }, { kind: 'general-ledger-csv', year: 2025 });
    expect(await screen.findByText(/Preparing general ledger \(CSV\)/)).toBeInTheDocument();
    const link = await screen.findByRole('link', { name: 'Download general ledger (CSV)' }, { timeout: 5000 });
    expect(link).toHaveAttribute('href', 'https://files.example/gl.csv?sig=1');
    // It was asked about until it was ready, with its own id.
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/exports/{exportId}', { orgId: 'org_1', exportId: 'xpt_1' }, undefined, expect.anything());
  });

  it('shows why an export failed', async () => {
    apiGet.mockResolvedValue({ ...base, kind: 'year-end', filename: 'year-end-2025.zip', status: 'failed', error: 'the books could not be read' });
    apiPost.mockResolvedValue({ ...base, kind: 'year-end', filename: 'year-end-2025.zip', status: 'pending' });
    wrap(<ExportButtons pollMs={20} requests={[{ kind: 'year-end', body: { kind: 'year-end', year: 2025 } }]} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export year-end (ZIP)' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/the books could not be read/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Download/ })).not.toBeInTheDocument();
  });

  it('shows the API’s field error next to the Year field', async () => {
    apiGet.mockResolvedValue({ items: [], nextCursor: null });
    apiPost.mockRejectedValue(
      new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'year: a year-end export needs its year', errors: [{ field: 'year', message: 'a year-end export needs its year' }] }),
    );
    wrap(<ReportsPage />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export year-end (ZIP)' }));
    expect(await screen.findByText('a year-end export needs its year')).toBeInTheDocument();
    expect(screen.getByLabelText('Year')).toHaveAttribute('aria-invalid', 'true');
  });

  it('offers no export while the year is not a year', async () => {
    apiGet.mockResolvedValue({ items: [], nextCursor: null });
    wrap(<ReportsPage />);
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Year'));
    await user.type(screen.getByLabelText('Year'), '19');
    expect(screen.getByRole('button', { name: 'Export hledger' })).toBeDisabled();
    expect(screen.getByText('Enter a year from 2000 to 2100.')).toBeInTheDocument();
  });
});
