import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';

const apiPost = vi.fn();
vi.mock('@/api/client', () => ({ apiPost: (...a: unknown[]) => apiPost(...a) }));

const { default: CreateOrgPage } = await import('./CreateOrgPage');

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/orgs/new']}>
        <Routes>
          <Route path="/orgs/new" element={<CreateOrgPage />} />
          <Route path="/orgs/:orgId/dashboard" element={<p>dashboard</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('creating an org', () => {
  // A block body: a function returned from beforeEach is run as its teardown.
  beforeEach(() => {
    apiPost.mockReset();
  });

  it('shows the API field error next to the field it names and stays on the form', async () => {
    apiPost.mockRejectedValue(
      new ApiError({ type: 'about:blank', title: 'Invalid input', status: 400, detail: '1 field is invalid', errors: [{ field: 'timezone', message: 'not an IANA time zone' }] }),
    );
    renderPage();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Ann Apartments');
    await user.clear(screen.getByLabelText('Timezone'));
    await user.type(screen.getByLabelText('Timezone'), 'Mars/Olympus');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('not an IANA time zone')).toBeInTheDocument();
    expect(screen.getByLabelText('Timezone')).toHaveAttribute('aria-invalid', 'true');
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs', {}, expect.objectContaining({ name: 'Ann Apartments', timezone: 'Mars/Olympus', country: 'US' }));
  });

  it('goes to the new org on success', async () => {
    apiPost.mockResolvedValue({ id: 'org_1', name: 'Ann Apartments' });
    renderPage();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Ann Apartments');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByText('dashboard')).toBeInTheDocument();
  });
});
