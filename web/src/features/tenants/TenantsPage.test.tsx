import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/api/problem';
import { apiGet, apiPatch, apiPost } from '@/api/client';
import TenantsPage from './TenantsPage';
import TenantPage from './TenantPage';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

vi.mock('@/api/client', () => ({ apiGet: vi.fn(), apiPost: vi.fn(), apiPatch: vi.fn(), apiDelete: vi.fn() }));

const get = vi.mocked(apiGet);
const post = vi.mocked(apiPost);
const patch = vi.mocked(apiPatch);

const jane = {
  id: 'ten_01JANE',
  firstName: 'Jane',
  lastName: 'Doe',
  email: 'jane@example.com',
  phone: '+1 555 010 0100',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

async function fillNew(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'New tenant' }));
  await user.type(screen.getByLabelText('First name'), 'Jane');
  await user.type(screen.getByLabelText('Last name'), 'Doe');
  await user.type(screen.getByLabelText('Email'), 'jane@example.com');
}

beforeEach(() => {
  vi.resetAllMocks();
  get.mockResolvedValue({ items: [jane], nextCursor: null } as never);
});

describe('TenantsPage', () => {
  it('lists tenants and creates one, which the list then shows', async () => {
    const user = userEvent.setup();
    post.mockResolvedValue(jane as never);
    get.mockResolvedValue({ items: [], nextCursor: null } as never);
    renderWithOrg(<TenantsPage />, { route: 'tenants', at: 'tenants' });
    expect(await screen.findByText(/No tenants yet/)).toBeInTheDocument();
    get.mockResolvedValue({ items: [jane], nextCursor: null } as never);
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(await screen.findByRole('cell', { name: 'jane@example.com' })).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'Jane Doe' })[0]).toHaveAttribute('href', `/orgs/${ORG_ID}/tenants/ten_01JANE`);
    expect(screen.getByRole('status')).toHaveTextContent('Added Jane Doe.');
    expect(screen.queryByRole('button', { name: 'Create tenant' })).toBeNull();
    expect(get).toHaveBeenCalledTimes(2); // the list is read again
    expect(post).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/tenants', { orgId: ORG_ID }, { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', phone: null });
  });

  it('shows the API errors under the fields they name, and a 409 as the summary', async () => {
    const user = userEvent.setup();
    post.mockRejectedValueOnce(
      new ApiError({
        type: 'urn:portfolioos:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'phone: must be a phone number such as +1 555 010 0100',
        errors: [{ field: 'phone', message: 'must be a phone number such as +1 555 010 0100' }],
      }),
    );
    renderWithOrg(<TenantsPage />, { route: 'tenants', at: 'tenants' });
    await fillNew(user);
    await user.type(screen.getByLabelText('Phone'), '12');
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    await waitFor(() => expect(screen.getByLabelText('Phone')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Phone')).toHaveAccessibleDescription(/must be a phone number/);

    post.mockRejectedValueOnce(new ApiError({ type: 'urn:portfolioos:problem:conflict', title: 'Conflict', status: 409, detail: 'a tenant with this email already exists' }));
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    expect(await screen.findByText(/a tenant with this email already exists/)).toBeInTheDocument();
  });

  it('offers no writes to a read-only member', async () => {
    renderWithOrg(<TenantsPage />, { route: 'tenants', at: 'tenants', role: 'readonly' });
    await screen.findByRole('link', { name: 'Jane Doe' });
    expect(screen.queryByRole('button', { name: 'New tenant' })).toBeNull();
  });
});

describe('TenantPage', () => {
  it('edits a tenant with PATCH', async () => {
    const user = userEvent.setup();
    get.mockResolvedValue(jane as never);
    patch.mockResolvedValue({ ...jane, lastName: 'Smith' } as never);
    renderWithOrg(<TenantPage />, { route: 'tenants/:tenantId', at: 'tenants/ten_01JANE' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Jane Doe' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Edit tenant' }));
    const last = screen.getByLabelText('Last name');
    await user.clear(last);
    await user.type(last, 'Smith');
    await user.click(screen.getByRole('button', { name: 'Save tenant' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Jane Smith' })).toBeInTheDocument();
    expect(patch).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/tenants/{tenantId}',
      { orgId: ORG_ID, tenantId: 'ten_01JANE' },
      { firstName: 'Jane', lastName: 'Smith', email: 'jane@example.com', phone: '+1 555 010 0100' },
    );
  });
});
