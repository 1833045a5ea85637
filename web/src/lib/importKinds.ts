/**
 * The kinds of import and what each one's CSV holds, as the Import page offers them and
 * Settings → Integrations → SFTP names the kind of its server's files (the same templates).
 */
import type { Schemas } from '@/api/client';

export type ImportKind = Schemas['ImportKind'];

/** What each kind's file holds: its columns (required first) as the template has them. */
export const IMPORT_KINDS: { value: ImportKind; label: string; columns: string; required: string }[] = [
  { value: 'tenants', label: 'Tenants', columns: 'firstName, lastName, email, phone', required: 'firstName, lastName, email' },
  { value: 'units', label: 'Units', columns: 'building, label, bedrooms, bathrooms, areaSqft, marketRent, currency', required: 'building (its name), label' },
  { value: 'payments', label: 'Payments', columns: 'building, unit, receivedOn, amount, currency, method, reference', required: 'building, unit (its label), receivedOn, amount, currency, method' },
  { value: 'expenses', label: 'Expenses', columns: 'date, amount, currency, account, paidFrom, vendor, building, unit, memo, reference', required: 'date, amount, currency, account and paidFrom (their codes)' },
  {
    value: 'leases',
    label: 'Leases',
    columns: 'building, unit, tenants, startDate, endDate, rent, currency, dueDay, deposit, status',
    required: 'building, unit (its label), tenants (their emails, separated by ";", the first the primary tenant), startDate, rent, dueDay; status is active (the default) or draft',
  },
  {
    value: 'opening-balances',
    label: 'Opening balances',
    columns: 'type, date, building, unit, account, amount, currency, memo',
    required: "type (tenant_balance: building, unit and what the tenant owes, negative when owed to them; account: its code and a signed amount, debit positive, each date's account rows balancing), date, amount",
  },
];

export const importKindLabel = (k: ImportKind) => IMPORT_KINDS.find((x) => x.value === k)?.label ?? k;
