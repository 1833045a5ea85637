import { formatMoney, isNegative, type Money } from '@/lib/money';

/** A money value as the API gave it, formatted with its currency. */
export function MoneyText({ value }: { value: Money | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  return <span className={`money${isNegative(value.amount) ? ' negative' : ''}`}>{formatMoney(value)}</span>;
}
