import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/api/problem';
import { apiGet, apiPost } from '@/api/client';
import BuildingsPage from './BuildingsPage';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

vi.mock('@/api/client', () => ({ apiGet: vi.fn(), apiPost: vi.fn(), apiPatch: vi.fn(), apiDelete: vi.fn() }));

const get = vi.mocked(apiGet);
const post = vi.mocked(apiPost);

const building = {
  id: 'bld_01NEW',
  name: 'Maple Court',
  address: { line1: '1 Maple St', city: 'Springfield', postalCode: '12345', country: 'US' },
  archived: false,
  unitCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
} as const;

function renderPage(role: 'owner' | 'readonly' = 'owner') {
  return renderWithOrg(<BuildingsPage />, { route: 'buildings', at: 'buildings', role });
}

async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'New building' }));
  await user.type(screen.getByLabelText('Name'), 'Maple Court');
  await user.type(screen.getByLabelText('Address line 1'), '1 Maple St');
  await user.type(screen.getByLabelText('City'), 'x');
  await user.type(screen.getByLabelText('Postal code'), '12345');
}

beforeEach(() => {
  vi.resetAllMocks();
  get.mockResolvedValue({ items: [], nextCursor: null } as never);
});

describe('BuildingsPage', () => {
  it('lists buildings with their unit count and an archived badge', async () => {
    get.mockResolvedValue({ items: [{ ...building, unitCount: 12 }, { ...building, id: 'bld_02', name: 'Oak', archived: true }], nextCursor: 'next' } as never);
    renderPage();
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('link', { name: 'Maple Court' })).toHaveAttribute('href', `/orgs/${ORG_ID}/buildings/bld_01NEW`);
    expect(within(table).getByText('12')).toBeInTheDocument();
    expect(within(table).getByText('Archived')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/buildings', { orgId: ORG_ID }, { cursor: undefined, limit: 50 }, expect.anything());
  });

  it('shows the API error for address.city under "City"', async () => {
    const user = userEvent.setup();
    post.mockRejectedValue(
      new ApiError({
        type: 'urn:portfolioos:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'address.city: must not be blank',
        errors: [{ field: 'address.city', message: 'must not be blank' }],
      }),
    );
    renderPage();
    await fillRequired(user);
    await user.click(screen.getByRole('button', { name: 'Create building' }));

    const city = screen.getByLabelText('City');
    await waitFor(() => expect(city).toHaveAttribute('aria-invalid', 'true'));
    expect(city).toHaveAccessibleDescription('must not be blank');
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
    // The summary names the problem once; the field message is not repeated in its list.
    const summary = screen.getByText('Invalid request.').closest('.error-box') as HTMLElement;
    expect(within(summary).queryByRole('listitem')).toBeNull();

    const [path, params, body] = post.mock.calls[0]!;
    expect(path).toBe('/api/v1/orgs/{orgId}/buildings');
    expect(params).toEqual({ orgId: ORG_ID });
    expect(body).toEqual({
      name: 'Maple Court',
      address: { line1: '1 Maple St', line2: null, city: 'x', region: null, postalCode: '12345', country: 'US' },
    });
  });

  it('lists field errors no input shows in the summary', async () => {
    const user = userEvent.setup();
    post.mockRejectedValue(
      new ApiError({ type: 'about:blank', title: 'Invalid request', status: 400, detail: 'bad', errors: [{ field: 'somethingElse', message: 'is odd' }] }),
    );
    renderPage();
    await fillRequired(user);
    await user.click(screen.getByRole('button', { name: 'Create building' }));
    expect(await screen.findByText('somethingElse')).toBeInTheDocument();
  });

  it('sends the optional facts as the API takes them and opens the new building', async () => {
    const user = userEvent.setup();
    post.mockResolvedValue(building as never);
    renderPage();
    await fillRequired(user);
    await user.selectOptions(screen.getByLabelText('Property type'), '2');
    await user.type(screen.getByLabelText('Market value'), '250,000');
    await user.type(screen.getByLabelText('Purchase price'), '199999.5');
    await user.click(screen.getByRole('button', { name: 'Create building' }));

    expect(await screen.findByTestId('location')).toHaveTextContent(`/orgs/${ORG_ID}/buildings/bld_01NEW`);
    expect(post.mock.calls[0]![2]).toMatchObject({
      propertyType: 2,
      marketValue: { amount: '250000.00', currency: 'USD' },
      purchasePrice: { amount: '199999.50', currency: 'USD' },
    });
  });

  it('refuses an amount it cannot read before asking the API', async () => {
    const user = userEvent.setup();
    renderPage();
    await fillRequired(user);
    await user.type(screen.getByLabelText('Market value'), '12.345');
    await user.click(screen.getByRole('button', { name: 'Create building' }));
    expect(screen.getByLabelText('Market value')).toHaveAccessibleDescription(/Enter an amount/);
    expect(post).not.toHaveBeenCalled();
  });

  it('offers no "New building" to a read-only member', async () => {
    get.mockResolvedValue({ items: [building], nextCursor: null } as never);
    renderPage('readonly');
    await screen.findByRole('table');
    expect(screen.queryByRole('button', { name: 'New building' })).toBeNull();
  });
});
