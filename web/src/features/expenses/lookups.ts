/**
 * What the expense screens look things up in: the chart, vendors, buildings and units (all pages,
 * for selects and names), and small helpers for money bodies and idempotency keys.
 */
import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet, newIdempotencyKey, type Schemas } from '@/api/client';
import { lookupKeys } from '@/lib/lookups';
import { useOrg } from '@/lib/org';

export type Account = Schemas['Account'];
export type Vendor = Schemas['Vendor'];
export type Building = Schemas['Building'];
export type Unit = Schemas['Unit'];
export type Expense = Schemas['Expense'];
export type ExpenseWithReceipts = Schemas['ExpenseWithReceipts'];
/** A receipt as `POST …/receipts` answers it: with its presigned `upload`. */
export type UploadingReceipt = Schemas['Receipt'];

export const keys = {
  ...lookupKeys,
  unit: (orgId: string, unitId: string) => ['orgs', orgId, 'units', unitId] as const,
  expenses: (orgId: string) => ['orgs', orgId, 'expenses'] as const,
  expense: (orgId: string, id: string) => ['orgs', orgId, 'expenses', id] as const,
  recurring: (orgId: string) => ['orgs', orgId, 'recurring-expenses'] as const,
};

export { fetchAll, useAccounts, useBuildings, useUnits, useVendors } from '@/lib/lookups';

/** One unit's label, for a scope naming a unit only by id. */
export function useUnit(unitId: string | null | undefined) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.unit(orgId, unitId ?? ''),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId: unitId ?? '' }, undefined, { signal }),
    enabled: !!unitId,
    staleTime: 60_000,
  });
}

/** Accounts an expense may be booked to: expense accounts and fixed-asset accounts (capital improvements). */
export function expenseAccounts(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => !a.archived && (a.type === 'expense' || a.subtype === 'fixed_asset'));
}

/** Accounts money can be paid from: bank and cash accounts. */
export function cashAccounts(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => !a.archived && (a.subtype === 'bank' || a.subtype === 'cash'));
}

export function accountLabel(a: Pick<Account, 'code' | 'name'>): string {
  return `${a.code} · ${a.name}`;
}

/** An amount and currency as the API takes money (`MoneyInput` is a union per currency's decimals). */
export function moneyInput(amount: string, currency: string): Schemas['MoneyInput'] {
  return { amount, currency } as Schemas['MoneyInput'];
}

/**
 * One Idempotency-Key per submission: the same body retried (after a network error) reuses the key;
 * a changed body or a new form after a success gets a fresh one.
 */
export function useIdempotencyKey() {
  const ref = useRef<{ body: string; key: string } | null>(null);
  return {
    keyFor(body: unknown): string {
      const b = JSON.stringify(body);
      if (!ref.current || ref.current.body !== b) ref.current = { body: b, key: newIdempotencyKey() };
      return ref.current.key;
    },
    reset() {
      ref.current = null;
    },
  };
}

/** PUTs a file's bytes to a presigned URL with exactly the headers the API gave (not through Axios: no bearer token). */
export async function putToPresigned(upload: Schemas['PresignedUpload'], file: Blob): Promise<void> {
  const res = await fetch(upload.url, { method: upload.method || 'PUT', headers: upload.headers, body: file });
  if (!res.ok) throw new Error(`The upload failed (${res.status}). Try again.`);
}

export const RECEIPT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
