import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { OrgContext } from '@/lib/org';
import type { Role } from '@/lib/permissions';
import { ORG_ID, orgValue, renderWithOrg } from '@/test/renderWithOrg';

const apiPatch = vi.fn();
vi.mock('@/api/client', () => ({ apiPatch: (...a: unknown[]) => apiPatch(...a) }));

const { default: OrgSettingsPage } = await import('./OrgSettingsPage');

function show(role: Role = 'owner', alertPhone: string | null = '+1 555 010 0177') {
  const value = orgValue(role);
  renderWithOrg(
    <OrgContext.Provider value={{ ...value, org: { ...value.org, alertPhone } }}>
      <OrgSettingsPage />
    </OrgContext.Provider>,
    { route: 'settings/org', at: 'settings/org', role },
  );
  return userEvent.setup();
}

describe('the org settings’ emergency alert phone', () => {
  beforeEach(() => {
    apiPatch.mockReset();
    apiPatch.mockImplementation(async (_path: string, _params: unknown, body: Record<string, unknown>) => ({ ...orgValue().org, ...body }));
  });

  it('sends only the phone when only it changed, after checking it', async () => {
    const user = show();
    const phone = screen.getByLabelText('Emergency alert phone');
    expect(phone).toHaveValue('+1 555 010 0177');
    expect(screen.getByText(/texted to at once/)).toBeInTheDocument();
    await user.clear(phone);
    await user.type(phone, 'call me');
    await user.click(screen.getByRole('button', { name: 'Save organization' }));
    expect(screen.getByText('Enter a phone number of 7 to 15 digits, such as +1 555 010 0100.')).toBeInTheDocument();
    expect(apiPatch).not.toHaveBeenCalled();

    await user.clear(phone);
    await user.type(phone, '+44 (20) 7946-0018');
    await user.click(screen.getByRole('button', { name: 'Save organization' }));
    await waitFor(() => expect(apiPatch).toHaveBeenCalledWith('/api/v1/orgs/{orgId}', { orgId: ORG_ID }, { alertPhone: '+44 (20) 7946-0018' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
  });

  it('clears the phone with an empty string, and shows the API’s error next to it', async () => {
    const user = show();
    await user.clear(screen.getByLabelText('Emergency alert phone'));
    await user.click(screen.getByRole('button', { name: 'Save organization' }));
    await waitFor(() => expect(apiPatch).toHaveBeenCalledWith('/api/v1/orgs/{orgId}', { orgId: ORG_ID }, { alertPhone: '' }));

    apiPatch.mockRejectedValueOnce(
      new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'alertPhone: not a phone number', errors: [{ field: 'alertPhone', message: 'not a phone number' }] }),
    );
    await user.type(screen.getByLabelText('Emergency alert phone'), '5550100');
    await user.click(screen.getByRole('button', { name: 'Save organization' }));
    expect(await screen.findByText('not a phone number')).toBeInTheDocument();
    expect(screen.getByLabelText('Emergency alert phone')).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows a manager the phone without a form', () => {
    show('manager');
    expect(screen.queryByLabelText('Emergency alert phone')).not.toBeInTheDocument();
    expect(screen.getByText('Emergency alert phone').nextSibling).toHaveTextContent('+1 555 010 0177');
    expect(screen.getByText('Only an owner can change these.')).toBeInTheDocument();
  });
});
