/**
 * Plaid Link: the bank's own sign-in, which answers a one-time public token and the accounts the
 * user shared. In production it is Plaid's script (cdn.plaid.com, loaded on first use); with
 * `config.plaidFakeUrl` (make dev, the browser tests) the local Plaid fake plays Link through its
 * `/_fake/plaid/public_token` hook, so the rest of the flow (exchange, mapping, sync) is the same.
 */
import { config } from '@/config';

export interface LinkedAccount {
  /** Plaid's account id (`plaidAccountId` in the API). */
  id: string;
  name: string;
  mask: string | null;
}

export interface LinkResult {
  publicToken: string;
  accounts: LinkedAccount[];
}

/** The user closed Link without connecting (nothing to show). */
export class LinkExited extends Error {
  constructor(message = 'Plaid Link was closed before a bank was connected.') {
    super(message);
    this.name = 'LinkExited';
  }
}

const PLAID_SCRIPT = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

/** The part of Plaid Link's browser API used here. */
interface PlaidLinkError {
  error_message?: string;
  display_message?: string | null;
}
interface PlaidHandler {
  open: () => void;
  destroy?: () => void;
}
interface PlaidGlobal {
  create: (options: {
    token: string;
    onSuccess: (publicToken: string, metadata: { accounts?: { id: string; name: string; mask?: string | null }[] }) => void;
    onExit?: (error: PlaidLinkError | null) => void;
  }) => PlaidHandler;
}

declare global {
  interface Window {
    Plaid?: PlaidGlobal;
  }
}

/** Opens Link for `linkToken` (from `POST …/integrations/plaid/link-token`). */
export function openLink(linkToken: string): Promise<LinkResult> {
  const fake = config.plaidFakeUrl;
  return fake ? fakeLink(fake, linkToken) : plaidLink(linkToken);
}

interface FakeAnswer {
  public_token?: string;
  accounts?: { account_id: string; name: string; mask?: string | null }[];
  message?: string;
}

/** The fake's Link: one call makes the Item (from the link token) and answers its accounts. */
async function fakeLink(base: string, linkToken: string): Promise<LinkResult> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/+$/, '')}/_fake/plaid/public_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ link_token: linkToken }),
    });
  } catch {
    throw new Error('The local Plaid fake could not be reached (is it running, and does it allow this origin?).');
  }
  const body = (await res.json().catch(() => ({}))) as FakeAnswer;
  if (!res.ok || !body.public_token) throw new Error(`The local Plaid fake refused Link: ${body.message ?? res.status}`);
  return {
    publicToken: body.public_token,
    accounts: (body.accounts ?? []).map((a) => ({ id: a.account_id, name: a.name, mask: a.mask ?? null })),
  };
}

let loading: Promise<PlaidGlobal> | null = null;

function loadPlaid(): Promise<PlaidGlobal> {
  if (window.Plaid) return Promise.resolve(window.Plaid);
  loading ??= new Promise<PlaidGlobal>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = PLAID_SCRIPT;
    script.async = true;
    script.onload = () => (window.Plaid ? resolve(window.Plaid) : reject(new Error('Plaid Link did not load.')));
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error('Plaid Link could not be loaded. Check your connection and try again.'));
    };
    document.head.appendChild(script);
  });
  return loading;
}

async function plaidLink(linkToken: string): Promise<LinkResult> {
  const Plaid = await loadPlaid();
  return new Promise<LinkResult>((resolve, reject) => {
    const handler = Plaid.create({
      token: linkToken,
      onSuccess: (publicToken, metadata) => {
        handler.destroy?.();
        resolve({ publicToken, accounts: (metadata.accounts ?? []).map((a) => ({ id: a.id, name: a.name, mask: a.mask ?? null })) });
      },
      onExit: (error) => {
        handler.destroy?.();
        reject(error ? new Error(error.display_message || error.error_message || 'Plaid Link failed.') : new LinkExited());
      },
    });
    handler.open();
  });
}
