/** The books screens' queries and names: the chart, buildings, units, and the query keys mutations invalidate. */
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { useOrg } from '@/lib/org';

export type Account = Schemas['Account'];

export const keys = {
  accounts: (orgId: string) => ['orgs', orgId, 'accounts'] as const,
  accountsAll: (orgId: string) => ['orgs', orgId, 'accounts', 'all'] as const,
  register: (orgId: string, accountId: string, from: string, to: string) => ['orgs', orgId, 'accounts', accountId, 'register', { from, to }] as const,
  journal: (orgId: string) => ['orgs', orgId, 'journal'] as const,
  entry: (orgId: string, id: string) => ['orgs', orgId, 'journal', 'entry', id] as const,
  trialBalance: (orgId: string) => ['orgs', orgId, 'trial-balance'] as const,
  periods: (orgId: string) => ['orgs', orgId, 'periods'] as const,
  verify: (orgId: string) => ['orgs', orgId, 'books', 'verify'] as const,
  rebuild: (orgId: string) => ['orgs', orgId, 'books', 'rebuild'] as const,
  fixedAssets: (orgId: string) => ['orgs', orgId, 'fixed-assets'] as const,
  fxRates: (orgId: string) => ['orgs', orgId, 'fx-rates'] as const,
  buildingsAll: (orgId: string) => ['orgs', orgId, 'buildings', 'all'] as const,
};

export function useAccounts() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.accountsAll(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/accounts', { orgId }, undefined, { signal }).then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useBuildings() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: keys.buildingsAll(orgId),
    queryFn: async ({ signal }) => {
      const out: Schemas['Building'][] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const p = await apiGet('/api/v1/orgs/{orgId}/buildings', { orgId }, { limit: 200, cursor }, { signal });
        out.push(...p.items);
        if (!p.nextCursor) break;
        cursor = p.nextCursor;
      }
      return out;
    },
    staleTime: 60_000,
  });
}

export function useUnit(unitId: string | null | undefined) {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: ['orgs', orgId, 'units', unitId ?? ''],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/units/{unitId}', { orgId, unitId: unitId ?? '' }, undefined, { signal }),
    enabled: !!unitId,
    staleTime: 60_000,
  });
}

export const TYPE_LABEL: Record<Schemas['AccountType'], string> = { asset: 'Asset', liability: 'Liability', equity: 'Equity', income: 'Income', expense: 'Expense' };

export const SUBTYPE_LABEL: Record<Schemas['AccountSubtype'], string> = {
  bank: 'Bank',
  cash: 'Cash',
  clearing: 'Clearing',
  receivable: 'Receivable',
  deposits_held: 'Deposits held',
  prepaid_rent: 'Prepaid rent',
  payable: 'Payable',
  fixed_asset: 'Fixed asset',
  accumulated_depreciation: 'Accumulated depreciation',
  loan: 'Loan',
};

/** Which subtypes fit which type (the API refuses the others). */
export const SUBTYPES_BY_TYPE: Record<Schemas['AccountType'], Schemas['AccountSubtype'][]> = {
  asset: ['bank', 'cash', 'clearing', 'receivable', 'fixed_asset', 'accumulated_depreciation'],
  liability: ['deposits_held', 'prepaid_rent', 'payable', 'loan'],
  equity: [],
  income: [],
  expense: [],
};

/** IRS Schedule E (Form 1040) lines an income or expense account can map to. */
export const SCHEDULE_E_LINES: [string, string][] = [
  ['3', 'Rents received'],
  ['4', 'Royalties received'],
  ['5', 'Advertising'],
  ['6', 'Auto and travel'],
  ['7', 'Cleaning and maintenance'],
  ['8', 'Commissions'],
  ['9', 'Insurance'],
  ['10', 'Legal and other professional fees'],
  ['11', 'Management fees'],
  ['12', 'Mortgage interest paid to banks'],
  ['13', 'Other interest'],
  ['14', 'Repairs'],
  ['15', 'Supplies'],
  ['16', 'Taxes'],
  ['17', 'Utilities'],
  ['18', 'Depreciation expense or depletion'],
  ['19', 'Other'],
  ['none', 'Not on Schedule E'],
];

export function scheduleELabel(line: string | null | undefined): string {
  if (!line) return '—';
  const hit = SCHEDULE_E_LINES.find(([l]) => l === line);
  return hit ? (line === 'none' ? hit[1] : `Line ${line} · ${hit[1]}`) : line;
}

export function accountLabel(a: Pick<Account, 'code' | 'name'>): string {
  return `${a.code} · ${a.name}`;
}

export const SOURCE_TYPES: [string, string][] = [
  ['charge', 'Charge'],
  ['charge_void', 'Charge voided'],
  ['payment', 'Payment'],
  ['payment_reversal', 'Payment reversed'],
  ['payment_refund', 'Payment refunded in part'],
  ['allocation', 'Allocation'],
  ['deposit_settlement', 'Deposit settlement'],
  ['expense', 'Expense'],
  ['expense_payment', 'Bill paid'],
  ['expense_void', 'Expense voided'],
  ['expense_reclassification', 'Expense reclassified'],
  ['depreciation', 'Depreciation'],
  ['manual', 'Manual entry'],
];

export function sourceLabel(type: string): string {
  return SOURCE_TYPES.find(([t]) => t === type)?.[1] ?? type;
}
