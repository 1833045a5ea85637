/** Small read-only pieces of the expense screens: status, scope summary, names looked up by id. */
import type { Schemas } from '@/api/client';
import { formatMoney } from '@/lib/money';
import { accountLabel, useAccounts, useBuildings, useUnit, useVendors } from './lookups';

const STATUS_LABEL: Record<Schemas['ExpenseStatus'], string> = {
  draft: 'Draft',
  unpaid: 'Unpaid',
  paid: 'Paid',
  void: 'Void',
  pending_approval: 'Awaiting approval',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status exp-status-${status}`}>{STATUS_LABEL[status as Schemas['ExpenseStatus']] ?? status}</span>;
}

export function AccountName({ id }: { id: string | null | undefined }) {
  const accounts = useAccounts();
  if (!id) return <span className="muted">—</span>;
  const a = accounts.data?.find((x) => x.id === id);
  return <>{a ? accountLabel(a) : id}</>;
}

export function VendorName({ id }: { id: string | null | undefined }) {
  const vendors = useVendors();
  if (!id) return <span className="muted">—</span>;
  const v = vendors.data?.find((x) => x.id === id);
  return <>{v ? v.name : id}</>;
}

export function BuildingName({ id }: { id: string | null | undefined }) {
  const buildings = useBuildings();
  if (!id) return <>Portfolio</>;
  const b = buildings.data?.find((x) => x.id === id);
  return <>{b ? b.name : id}</>;
}

export function UnitName({ id }: { id: string | null | undefined }) {
  const unit = useUnit(id);
  if (!id) return <span className="muted">—</span>;
  return <>{unit.data ? unit.data.label : id}</>;
}

/** "Portfolio", a building's name, "Unit 101 · Maple Court", or "Split: Maple Court USD 60.00, Oak Row USD 40.00". */
export function ScopeSummary({ expense }: { expense: Pick<Schemas['Expense'], 'scope' | 'splits'> }) {
  if (expense.splits && expense.splits.length) {
    return (
      <>
        Split:{' '}
        {expense.splits.map((p, i) => (
          <span key={i}>
            {i > 0 ? ', ' : ''}
            {p.unitId ? <UnitName id={p.unitId} /> : <BuildingName id={p.buildingId} />} {formatMoney(p.amount)}
          </span>
        ))}
      </>
    );
  }
  const s = expense.scope;
  if (!s || s.type === 'portfolio') return <>Portfolio</>;
  if (s.type === 'building') return <BuildingName id={s.id} />;
  return (
    <>
      Unit <UnitName id={s.id} />
    </>
  );
}

export function confidenceText(c: string | null | undefined): string {
  return c ? `${c}%` : '—';
}
