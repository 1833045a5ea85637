/** Small read-only pieces of the Bank page: signed amounts, what a transaction matched, and who matched it. */
import { Link } from 'react-router-dom';
import { formatMoney, isNegative, type Money } from '@/lib/money';
import { useOrg } from '@/lib/org';
import { accountLabel, useAccounts, useMemberEmails, useRules, type BankTransaction, type MatchedLine } from './lookups';

const KIND: Record<string, string> = { payment: 'Payment', expense: 'Expense', payout: 'Stripe payout' };

export function kindLabel(kind: string): string {
  return KIND[kind] ?? kind;
}

/** Money in with a plus (green), money out with a minus (red): as the bank shows it. */
export function BankAmount({ value }: { value: Money }) {
  const out = isNegative(value.amount);
  return (
    <span className={`money ${out ? 'negative' : 'bank-in'}`}>
      {out ? '' : '+'}
      {formatMoney(value)}
      <span className="sr-only">{out ? ' (money out)' : ' (money in)'}</span>
    </span>
  );
}

export function PendingBadge() {
  return <span className="status bank-pending">Pending</span>;
}

/** The description, the merchant when the bank names one apart, and the pending badge. */
export function Description({ t }: { t: BankTransaction }) {
  const merchant = t.merchantName && t.merchantName !== t.description ? t.merchantName : null;
  return (
    <span className="bank-desc">
      <span>{t.description}</span>
      {merchant ? <span className="muted"> · {merchant}</span> : null}
      {t.pending ? (
        <>
          {' '}
          <PendingBadge />
        </>
      ) : null}
    </span>
  );
}

/** One line of a match: its kind (a link where the record has a page), its amount, where the money was on the books. */
function Line({ line }: { line: MatchedLine }) {
  const { orgId } = useOrg();
  const accounts = useAccounts();
  const from = accounts.data?.find((a) => a.code === line.fromAccountCode);
  const label = kindLabel(line.kind);
  return (
    <li>
      {line.kind === 'expense' ? <Link to={`/orgs/${orgId}/expenses/${line.id}`}>{label}</Link> : <span>{label}</span>} <BankAmount value={line.amount} />{' '}
      <span className="muted">from {from ? accountLabel(from) : line.fromAccountCode}</span>
    </li>
  );
}

export function MatchedLines({ lines }: { lines: MatchedLine[] }) {
  if (!lines.length) return <span className="muted">—</span>;
  return (
    <ul className="bank-lines">
      {lines.map((l) => (
        <Line key={`${l.kind}:${l.id}`} line={l} />
      ))}
    </ul>
  );
}

/** "Automatically", "Rule: Water bill", or the member's email. */
export function MatchedBy({ by }: { by: string | null | undefined }) {
  const rule = by?.startsWith('rule:') ? by.slice('rule:'.length) : null;
  const member = !!by && by !== 'auto' && !rule;
  const rules = useRules();
  const emails = useMemberEmails(member);
  if (!by) return <span className="muted">—</span>;
  if (by === 'auto') return <>Automatically</>;
  if (rule) {
    const i = rules.data?.findIndex((r) => r.id === rule) ?? -1;
    const found = rules.data?.[i];
    if (rules.isPending) return <>Rule</>;
    return <>Rule: {found ? found.name || `rule ${i + 1}` : 'a deleted rule'}</>;
  }
  return <>{emails.data?.get(by) ?? by}</>;
}
