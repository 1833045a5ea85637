import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/api/problem';
import { apiPost } from '@/api/client';
import { BulkUnitsForm, duplicateLabels, parseLabels, unitsCreatedMessage } from './BulkUnitsForm';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

vi.mock('@/api/client', () => ({ apiGet: vi.fn(), apiPost: vi.fn(), apiPatch: vi.fn(), apiDelete: vi.fn() }));

const post = vi.mocked(apiPost);
const BID = 'bld_01TEST';
const BULK = '/api/v1/orgs/{orgId}/buildings/{buildingId}/units:bulk';

function unit(label: string) {
  return { id: `unt_${label}`, buildingId: BID, label, leaseCount: 0, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
}

function renderForm() {
  return renderWithOrg(<BulkUnitsForm buildingId={BID} onClose={() => {}} />, { route: 'buildings/:buildingId', at: `buildings/${BID}` });
}

beforeEach(() => vi.resetAllMocks());

describe('BulkUnitsForm', () => {
  it('sends a pattern and says how many units were created', async () => {
    const user = userEvent.setup();
    post.mockResolvedValue({ items: Array.from({ length: 12 }, (_, i) => unit(String(101 + i))) } as never);
    renderForm();
    expect(screen.getByLabelText('Pattern')).toHaveAccessibleDescription(/1\{01\.\.12\} creates 101–112/);
    await user.type(screen.getByLabelText('Pattern'), '1{{01..12}');
    await user.click(screen.getByRole('button', { name: 'Create units' }));

    expect(await screen.findByRole('status')).toHaveTextContent('12 units created');
    expect(post).toHaveBeenCalledWith(BULK, { orgId: ORG_ID, buildingId: BID }, { pattern: '1{01..12}' });
    expect(screen.getByLabelText('Pattern')).toHaveValue('');
  });

  it('sends comma-separated labels, trimmed', async () => {
    const user = userEvent.setup();
    post.mockResolvedValue({ items: [unit('1A'), unit('1B'), unit('2A')] } as never);
    renderForm();
    await user.type(screen.getByLabelText('Labels'), ' 1A, 1B ,, 2A ');
    await user.click(screen.getByRole('button', { name: 'Create units' }));
    expect(await screen.findByRole('status')).toHaveTextContent('3 units created');
    expect(post).toHaveBeenCalledWith(BULK, { orgId: ORG_ID, buildingId: BID }, { labels: ['1A', '1B', '2A'] });
  });

  it('lists the labels a 409 names as already existing', async () => {
    const user = userEvent.setup();
    post.mockRejectedValue(
      new ApiError({ type: 'urn:portfolioos:problem:conflict', title: 'Conflict', status: 409, detail: 'labels already exist in this building: 101, 102' }),
    );
    renderForm();
    await user.type(screen.getByLabelText('Labels'), '101, 102, 104');
    await user.click(screen.getByRole('button', { name: 'Create units' }));
    const list = await screen.findByRole('list', { name: 'Labels that already exist' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['101', '102']);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows the API error for the pattern under "Pattern"', async () => {
    const user = userEvent.setup();
    post.mockRejectedValue(
      new ApiError({
        type: 'urn:portfolioos:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'pattern: range {01..} must be numbers or single letters',
        errors: [{ field: 'pattern', message: 'range {01..} must be numbers or single letters' }],
      }),
    );
    renderForm();
    await user.type(screen.getByLabelText('Pattern'), '1{{01..}');
    await user.click(screen.getByRole('button', { name: 'Create units' }));
    const input = screen.getByLabelText('Pattern');
    await vi.waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'));
    expect(input).toHaveAccessibleDescription(/range \{01\.\.\} must be numbers or single letters/);
  });

  it('asks for exactly one of pattern and labels before calling the API', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Create units' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/Enter a pattern/);
    await user.type(screen.getByLabelText('Pattern'), '1{{01..03}');
    await user.type(screen.getByLabelText('Labels'), '9');
    await user.click(screen.getByRole('button', { name: 'Create units' }));
    expect(screen.getByRole('alert')).toHaveTextContent('not both');
    expect(post).not.toHaveBeenCalled();
  });
});

describe('helpers', () => {
  it('parses labels and names duplicates', () => {
    expect(parseLabels('a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(duplicateLabels(new ApiError({ type: 'x', title: 'Conflict', status: 409, detail: 'labels already exist in this building: 7, 8' }))).toEqual(['7', '8']);
    expect(unitsCreatedMessage(1)).toBe('1 unit created');
    expect(unitsCreatedMessage(12)).toBe('12 units created');
  });
});
