import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const cfg = vi.hoisted(() => ({ plaidFakeUrl: 'http://127.0.0.1:12112/' as string | undefined }));
vi.mock('@/config', () => ({ config: cfg }));

const { LinkExited, openLink } = await import('./plaidLink');

const fetchMock = vi.fn();

describe('Plaid Link', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    cfg.plaidFakeUrl = 'http://127.0.0.1:12112/';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    delete window.Plaid;
  });

  it('with the fake configured, plays Link through its public_token hook', async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          public_token: 'public-sandbox-1',
          item_id: 'item0001',
          accounts: [
            { account_id: 'acct01', name: 'Plaid Checking', mask: '0000', subtype: 'checking', balances: {} },
            { account_id: 'acct02', name: 'Plaid Saving', mask: null },
          ],
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const got = await openLink('link-sandbox-abc');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:12112/_fake/plaid/public_token');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ link_token: 'link-sandbox-abc' });
    expect(got).toEqual({
      publicToken: 'public-sandbox-1',
      accounts: [
        { id: 'acct01', name: 'Plaid Checking', mask: '0000' },
        { id: 'acct02', name: 'Plaid Saving', mask: null },
      ],
    });
  });

  it('says what the fake refused, or that it could not be reached', async () => {
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ message: 'unknown link_token' }), { status: 400 }));
    await expect(openLink('link-x')).rejects.toThrow('The local Plaid fake refused Link: unknown link_token');
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(openLink('link-x')).rejects.toThrow(/could not be reached/);
  });

  it('without the fake, uses Plaid’s Link (already on the page) and maps its metadata', async () => {
    cfg.plaidFakeUrl = undefined;
    const open = vi.fn();
    const create = vi.fn((opts: { token: string; onSuccess: (t: string, m: unknown) => void }) => ({
      open: () => {
        open();
        opts.onSuccess('public-prod-1', { accounts: [{ id: 'a1', name: 'Checking', mask: '4321' }] });
      },
    }));
    window.Plaid = { create } as unknown as NonNullable<typeof window.Plaid>;
    await expect(openLink('link-production-1')).resolves.toEqual({ publicToken: 'public-prod-1', accounts: [{ id: 'a1', name: 'Checking', mask: '4321' }] });
    expect(create.mock.calls[0]?.[0].token).toBe('link-production-1');
    expect(open).toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('closing Link is LinkExited; a Link error carries its message', async () => {
    cfg.plaidFakeUrl = undefined;
    let exitWith: unknown = null;
    window.Plaid = {
      create: (opts: { onExit: (e: unknown) => void }) => ({ open: () => opts.onExit(exitWith) }),
    } as unknown as NonNullable<typeof window.Plaid>;
    await expect(openLink('t')).rejects.toBeInstanceOf(LinkExited);
    exitWith = { error_message: 'INSTITUTION_DOWN', display_message: 'The bank is not answering.' };
    await expect(openLink('t')).rejects.toThrow('The bank is not answering.');
  });
});
