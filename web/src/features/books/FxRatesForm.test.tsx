import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { Providers } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { FxRatesForm, normalizeRate } = await import('./FxRatesForm');
const { default: FxRatesTab } = await import('./FxRatesTab');

const rate = (currency: string, date: string, r: string) => ({ currency, baseCurrency: 'USD', date, rate: r, recordedAt: `${date}T15:00:00Z` });

function renderForm() {
  const onDone = vi.fn();
  render(
    <Providers>
      <FxRatesForm onDone={onDone} onCancel={() => {}} />
    </Providers>,
  );
  return { onDone, user: userEvent.setup() };
}

describe('a rate as the API takes it', () => {
  it('normalizes the text typed without ever making it a number', () => {
    expect(normalizeRate(' 01.08320 ')).toBe('1.0832');
    expect(normalizeRate('0.50')).toBe('0.5');
    expect(normalizeRate('.5')).toBe('0.5');
    expect(normalizeRate('150.')).toBe('150');
    expect(normalizeRate('1000000.0000')).toBe('1000000');
    expect(normalizeRate('0.0000000001')).toBe('0.0000000001');
    // 0.1 + 0.2 territory: the digits stay exactly as typed.
    expect(normalizeRate('0.30000000000')).toBe('0.3');
    expect(normalizeRate('1.12345678901')).toBeNull(); // 11 decimals
    expect(normalizeRate('0.00000000001')).toBeNull();
    expect(normalizeRate('1000000.5')).toBeNull();
    expect(normalizeRate('0')).toBeNull();
    expect(normalizeRate('0.000')).toBeNull();
    expect(normalizeRate('-1.2')).toBeNull();
    expect(normalizeRate('1e3')).toBeNull();
    expect(normalizeRate('1,08')).toBeNull();
    expect(normalizeRate('')).toBeNull();
    expect(normalizeRate('.')).toBeNull();
  });
});

describe('recording FX rates', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
  });

  it('refuses what the API would, then sends the rates as decimal strings', async () => {
    const { user, onDone } = renderForm();
    await user.clear(screen.getByLabelText('Date'));
    await user.type(screen.getByLabelText('Date'), '2027-02-01');
    await user.type(screen.getByLabelText('Currency 1'), 'usd');
    await user.type(screen.getByLabelText('Rate 1'), '1,08');
    await user.click(screen.getByRole('button', { name: 'Add currency' }));
    await user.type(screen.getByLabelText('Currency 2'), 'EURO');
    await user.type(screen.getByLabelText('Rate 2'), '0');
    await user.click(screen.getByRole('button', { name: 'Add currency' }));
    await user.type(screen.getByLabelText('Currency 3'), 'gbp');
    await user.type(screen.getByLabelText('Rate 3'), '1.27');
    await user.click(screen.getByRole('button', { name: 'Add currency' }));
    await user.type(screen.getByLabelText('Currency 4'), 'GBP');
    await user.type(screen.getByLabelText('Rate 4'), '1e3');
    await user.click(screen.getByRole('button', { name: 'Save rates' }));

    expect(screen.getByLabelText('Currency 1')).toHaveAccessibleDescription(/USD is the base currency/);
    expect(screen.getByLabelText('Rate 1')).toHaveAccessibleDescription(/A decimal more than 0 and at most 1,000,000/);
    expect(screen.getByLabelText('Currency 2')).toHaveValue('EUR'); // at most three letters typed
    expect(screen.getByLabelText('Rate 2')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Currency 3')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Rate 3')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Currency 4')).toHaveAccessibleDescription(/GBP is named twice/);
    expect(screen.getByLabelText('Rate 4')).toHaveAttribute('aria-invalid', 'true');
    expect(apiPost).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Remove currency 4' }));
    await user.clear(screen.getByLabelText('Currency 1'));
    await user.type(screen.getByLabelText('Currency 1'), 'cad');
    await user.clear(screen.getByLabelText('Rate 1'));
    await user.type(screen.getByLabelText('Rate 1'), '0.7350');
    await user.clear(screen.getByLabelText('Rate 2'));
    await user.type(screen.getByLabelText('Rate 2'), '01.08320');
    apiPost.mockResolvedValue({ items: [rate('CAD', '2027-02-01', '0.735'), rate('EUR', '2027-02-01', '1.0832'), rate('GBP', '2027-02-01', '1.27')], nextCursor: null });
    await user.click(screen.getByRole('button', { name: 'Save rates' }));
    expect(apiPost).toHaveBeenCalledWith(
      '/api/v1/orgs/{orgId}/fx-rates',
      { orgId: 'org_1' },
      {
        date: '2027-02-01',
        rates: [
          { currency: 'CAD', rate: '0.735' },
          { currency: 'EUR', rate: '1.0832' },
          { currency: 'GBP', rate: '1.27' },
        ],
      },
    );
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(expect.arrayContaining([expect.objectContaining({ currency: 'EUR', rate: '1.0832' })]), '2027-02-01'));
  });

  it('shows the API’s error under the rate row it names', async () => {
    apiPost.mockRejectedValue(
      new ApiError({ type: 'urn:portfolioos:problem:validation', title: 'Invalid request', status: 400, detail: 'rates[1].currency: unknown', errors: [{ field: 'rates[1].currency', message: 'unknown' }] }),
    );
    const { user } = renderForm();
    await user.type(screen.getByLabelText('Currency 1'), 'EUR');
    await user.type(screen.getByLabelText('Rate 1'), '1.08');
    await user.click(screen.getByRole('button', { name: 'Add currency' }));
    await user.type(screen.getByLabelText('Currency 2'), 'XYZ');
    await user.type(screen.getByLabelText('Rate 2'), '2');
    await user.click(screen.getByRole('button', { name: 'Save rates' }));
    const cur2 = await screen.findByLabelText('Currency 2');
    await vi.waitFor(() => expect(cur2).toHaveAccessibleDescription(/unknown/));
    expect(cur2).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Currency 1')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByText('Check the fields marked below.', { exact: false })).toBeInTheDocument();
  });
});

describe('the FX rates tab', () => {
  beforeEach(() => {
    apiGet.mockReset();
    apiPost.mockReset();
  });

  it('pages with the API’s cursor and hides the form from a read-only member', async () => {
    apiGet.mockImplementation(async (_path: string, _p: unknown, q: { cursor?: string }) =>
      q.cursor === 'c2' ? { items: [rate('GBP', '2027-01-01', '1.27')], nextCursor: null } : { items: [rate('EUR', '2027-01-01', '1.0832')], nextCursor: 'c2' },
    );
    render(
      <Providers role="readonly">
        <FxRatesTab />
      </Providers>,
    );
    const user = userEvent.setup();
    const table = await screen.findByRole('table');
    expect(within(table).getByText('1 EUR = 1.0832 USD')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Record FX rates' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByText('1 GBP = 1.27 USD')).toBeInTheDocument();
    expect(apiGet).toHaveBeenLastCalledWith('/api/v1/orgs/{orgId}/fx-rates', { orgId: 'org_1' }, { cursor: 'c2', limit: 100 }, expect.anything());
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('offers the form to an accountant', async () => {
    apiGet.mockResolvedValue({ items: [], nextCursor: null });
    render(
      <Providers role="accountant">
        <FxRatesTab />
      </Providers>,
    );
    const user = userEvent.setup();
    expect(await screen.findByText('No FX rates recorded.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Record FX rates' }));
    expect(screen.getByRole('form', { name: 'Record FX rates' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save rates' })).toBeInTheDocument();
  });
});
