import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { Providers } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { RebuildSection, REBUILD_POLL_MS } = await import('./RebuildSection');

const requested = { status: 'requested', requestedAt: '2027-03-01T14:05:00Z', requestedBy: 'usr_me', reason: 'Posting rule fixed' };
const running = { ...requested, status: 'running', previousHash: 'aaaa1111' };
const done = { ...running, status: 'done', finishedAt: '2027-03-01T14:06:00Z', entries: 42, hash: 'aaaa1111', sameHash: true };
const notFound = () => new ApiError({ type: 'about:blank', title: 'Not found', status: 404, detail: 'rebuild not found' });

describe('rebuilding the books', () => {
  let rebuildAnswers: unknown[];
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    apiGet.mockReset();
    apiPost.mockReset();
    rebuildAnswers = [];
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/me') return { userId: 'usr_me', memberships: [] };
      if (path.endsWith('/books/rebuild')) {
        const next = rebuildAnswers.length > 1 ? rebuildAnswers.shift() : rebuildAnswers[0];
        if (next === undefined) throw notFound();
        return next;
      }
      throw new Error(`unexpected GET ${path}`);
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks the owner to confirm, then polls until the rebuild is done and shows what it found', async () => {
    render(
      <Providers>
        <RebuildSection />
      </Providers>,
    );
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    expect(await screen.findByText('The books have not been rebuilt.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Rebuild books' }));
    expect(apiPost).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Reason'), '  Posting rule fixed ');
    apiPost.mockResolvedValue(requested);
    rebuildAnswers = [running, done];
    await user.click(screen.getByRole('button', { name: 'Confirm rebuild' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/books:rebuild', { orgId: 'org_1' }, { reason: 'Posting rule fixed' });
    expect(await screen.findByText(/Rebuild requested/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rebuild books' })).toBeDisabled();
    // Mar 1, 2027 14:05 UTC is 9:05 AM in New York.
    expect(screen.getByText(/Mar 1, 2027, 9:05\s?AM by you/)).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(REBUILD_POLL_MS));
    expect(await screen.findByText(/Rebuilding the books/)).toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(REBUILD_POLL_MS));
    expect(await screen.findByText(/re-posted 42 entries: the chain ends on the same hash as before/)).toBeInTheDocument();
    expect(screen.getByText('Done')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Rebuild books' })).toBeEnabled();
    const polls = apiGet.mock.calls.filter(([p]) => String(p).endsWith('/books/rebuild')).length;
    await act(() => vi.advanceTimersByTimeAsync(REBUILD_POLL_MS * 3));
    expect(apiGet.mock.calls.filter(([p]) => String(p).endsWith('/books/rebuild')).length).toBe(polls);
  });

  it('shows a failed rebuild and offers no button to a manager', async () => {
    rebuildAnswers = [{ ...running, status: 'failed', finishedAt: '2027-03-01T14:06:00Z', error: 'payment pay_1: its lease is gone', requestedBy: 'usr_owner' }];
    render(
      <Providers role="manager">
        <RebuildSection />
      </Providers>,
    );
    expect(await screen.findByText(/The last rebuild failed; the journal was left as it was/)).toBeInTheDocument();
    expect(screen.getByText(/payment pay_1: its lease is gone/)).toBeInTheDocument();
    expect(screen.getByText(/by usr_owner/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Rebuild books' })).toBeNull();
  });
});
