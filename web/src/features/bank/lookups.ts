/**
 * What the Bank page looks things up in: the chart, vendors, buildings and units (for selects
 * and names; the same query keys as the expense screens, so the cache is shared), the org's
 * bank rules and its members (to say who matched a transaction).
 */
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { fetchAll, lookupKeys } from '@/lib/lookups';
import { useOrg } from '@/lib/org';

export type Account = Schemas['Account'];
export type BankTransaction = Schemas['BankTransaction'];
export type BankRule = Schemas['BankRule'];
export type Suggestion = Schemas['Suggestion'];
export type MatchedLine = Schemas['MatchedLine'];

export const keys = {
  ...lookupKeys,
  expenses: (orgId: string) => ['orgs', orgId, 'expenses'] as const,
  rules: (orgId: string) => ['orgs', orgId, 'bank-rules'] as const,
  members: (orgId: string) => ['orgs', orgId, 'members', 'emails'] as const,
};

// The chart, vendors, buildings and units: the expense screens' hooks (one cache for both).
export { useAccounts, useBuildings, useUnits, useVendors } from '@/lib/lookups';

/** The org's bank rules, in the order they are tried. */
export function useRules() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.rules(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/bank-rules', { orgId }, undefined, { signal }).then((r) => r.items),
    staleTime: 30_000,
  });
}

/** Members' emails by user id (to say who matched a transaction by hand). */
export function useMemberEmails(enabled = true) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.members(orgId),
    queryFn: async ({ signal }) => {
      const emails = new Map<string, string>();
      const all = await fetchAll((cursor) => apiGet('/api/v1/orgs/{orgId}/members', { orgId }, { limit: 200, cursor }, { signal }));
      for (const m of all) emails.set(m.userId, m.email);
      return emails;
    },
    enabled,
    staleTime: 60_000,
  });
}

/** Accounts a bank outflow may be booked to: expense accounts and fixed-asset accounts (capital improvements). */
export function expenseAccounts(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => !a.archived && (a.type === 'expense' || a.subtype === 'fixed_asset'));
}

/** The chart's bank accounts (what a bank feed syncs into). */
export function bankAccounts(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => !a.archived && a.type === 'asset' && a.subtype === 'bank');
}

export function accountLabel(a: Pick<Account, 'code' | 'name'>): string {
  return `${a.code} · ${a.name}`;
}

/** A form that opens in place of the button that opened it takes the focus (its first field). */
export function useFocusFirst<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);
  return ref;
}
