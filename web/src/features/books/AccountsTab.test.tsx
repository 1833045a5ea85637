import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { lookupGet, Providers } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
const apiPatch = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  apiPatch: (...a: unknown[]) => apiPatch(...a),
}));

const { default: AccountsTab } = await import('./AccountsTab');

describe('the chart of accounts', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPost, apiPatch]) f.mockReset();
    apiGet.mockImplementation(lookupGet);
  });

  it('shows the API’s 400 for a missing Schedule E line under that field', async () => {
    apiPost.mockRejectedValue(
      new ApiError({
        type: 'urn:portfolioos:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'scheduleE: required for income and expense accounts',
        errors: [{ field: 'scheduleE', message: 'required for income and expense accounts: a Schedule E line ("3"–"19") or "none"' }],
      }),
    );
    render(
      <Providers>
        <AccountsTab />
      </Providers>,
    );
    const user = userEvent.setup();
    const table = await screen.findByRole('table');
    expect(within(table).getByText('Line 14 · Repairs')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New account' }));
    await user.type(screen.getByLabelText('Code'), '5145');
    await user.type(screen.getByLabelText('Name'), 'Pest control');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByLabelText('Schedule E line')).toHaveAccessibleDescription(/required for income and expense accounts: a Schedule E line/);
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/accounts', { orgId: 'org_1' }, { code: '5145', name: 'Pest control', type: 'expense', subtype: null, scheduleE: null, currency: null, parentId: null });
  });

  it('hides new and rename from a read-only member', async () => {
    render(
      <Providers role="readonly">
        <AccountsTab />
      </Providers>,
    );
    await screen.findByRole('table');
    expect(screen.queryByRole('button', { name: 'New account' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rename' })).toBeNull();
  });
});
