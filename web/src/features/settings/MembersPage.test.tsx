import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { OrgContext, type OrgContextValue } from '@/lib/org';
import type { Role } from '@/lib/permissions';

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

const { default: MembersPage } = await import('./MembersPage');

const ann = { userId: 'u-ann', email: 'ann@example.com', role: 'owner', addedAt: '2026-01-01T00:00:00Z', addedBy: 'u-ann' };

function ctx(role: Role): OrgContextValue {
  return {
    orgId: 'org_1',
    role,
    org: { id: 'org_1', name: 'Ann Apartments', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' },
  };
}

function wrap(ui: ReactNode, role: Role = 'owner') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>
        <OrgContext.Provider value={ctx(role)}>{ui}</OrgContext.Provider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const problem = (status: number, detail: string, errors?: { field: string; message: string }[]) =>
  new ApiError({ type: 'about:blank', title: status === 409 ? 'Conflict' : 'Invalid request', status, detail, errors });

describe('members', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiPatch, apiDelete]) f.mockReset();
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/me') return { userId: 'u-ann', email: 'ann@example.com', memberships: [] };
      if (path === '/api/v1/orgs/{orgId}/members') return { items: [ann], nextCursor: null };
      throw new Error(`unexpected GET ${path}`);
    });
  });

  async function fillAndSubmit() {
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('User ID'), 'u-bob');
    await user.type(screen.getByLabelText('Email'), 'bob@example.com');
    await user.selectOptions(screen.getByLabelText('Role'), 'accountant');
    await user.click(screen.getByRole('button', { name: 'Add member' }));
  }

  it('sends the new member and shows the 409 (already a member) above the form', async () => {
    apiPost.mockRejectedValue(problem(409, 'u-bob is already a member'));
    wrap(<MembersPage />);
    expect(await screen.findByText('ann@example.com (you)')).toBeInTheDocument();
    await fillAndSubmit();
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/members', { orgId: 'org_1' }, { userId: 'u-bob', email: 'bob@example.com', role: 'accountant' });
    const form = screen.getByRole('form', { name: 'Add a member' });
    expect(await within(form).findByText(/u-bob is already a member/)).toBeInTheDocument();
    // The form keeps what was typed, to correct it.
    expect(screen.getByLabelText('User ID')).toHaveValue('u-bob');
  });

  it('shows the 400’s field errors next to the fields the API names', async () => {
    apiPost.mockRejectedValue(
      problem(400, 'userId: must be the user’s subject; email: must be an email address', [
        { field: 'userId', message: 'must be the user’s subject at the identity provider' },
        { field: 'email', message: 'must be an email address' },
      ]),
    );
    wrap(<MembersPage />);
    await screen.findByText('ann@example.com (you)');
    await fillAndSubmit();
    expect(await screen.findByText('must be the user’s subject at the identity provider')).toBeInTheDocument();
    expect(screen.getByText('must be an email address')).toBeInTheDocument();
    expect(screen.getByLabelText('User ID')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
  });

  it('checks the fields before asking the API', async () => {
    wrap(<MembersPage />);
    await screen.findByText('ann@example.com (you)');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Add member' }));
    expect(screen.getByText('Enter the user’s ID.')).toBeInTheDocument();
    expect(screen.getByText('Enter an email address.')).toBeInTheDocument();
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('shows the last-owner 409 when demoting the only owner', async () => {
    apiPatch.mockRejectedValue(problem(409, 'an organization must keep at least one owner'));
    wrap(<MembersPage />);
    const row = (await screen.findByText('ann@example.com (you)')).closest('tr') as HTMLElement;
    const user = userEvent.setup();
    await user.selectOptions(within(row).getByRole('combobox'), 'manager');
    await user.click(within(row).getByRole('button', { name: 'Save role' }));
    expect(apiPatch).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/members/{userId}', { orgId: 'org_1', userId: 'u-ann' }, { role: 'manager' });
    expect(await within(row).findByText(/must keep at least one owner/)).toBeInTheDocument();
  });

  it('removes only after the second click', async () => {
    apiDelete.mockResolvedValue(undefined);
    wrap(<MembersPage />);
    const row = (await screen.findByText('ann@example.com (you)')).closest('tr') as HTMLElement;
    const user = userEvent.setup();
    await user.click(within(row).getByRole('button', { name: 'Remove' }));
    expect(apiDelete).not.toHaveBeenCalled();
    await user.click(within(row).getByRole('button', { name: 'Confirm remove' }));
    expect(apiDelete).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/members/{userId}', { orgId: 'org_1', userId: 'u-ann' });
  });

  it('shows no write controls to a read-only member', async () => {
    wrap(<MembersPage />, 'readonly');
    await screen.findByText('ann@example.com (you)');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('User ID')).not.toBeInTheDocument();
  });
});
