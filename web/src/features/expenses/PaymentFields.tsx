/** Paid now from a bank/cash account, or an unpaid bill due later. */
import { useId, type ReactNode } from 'react';
import { SelectField, TextField } from '@/components/Field';
import { accountLabel, cashAccounts, useAccounts } from './lookups';

export type PaidMode = 'paid' | 'unpaid';

export function RadioGroup<T extends string>({ legend, value, options, onChange }: { legend: string; value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <fieldset className="choice">
      <legend>{legend}</legend>
      {options.map(([v, label]) => (
        <label key={v} className="choice-option">
          <input type="radio" name={id} value={v} checked={value === v} onChange={() => onChange(v)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

export function PaidFromSelect({ label = 'Paid from', value, onChange, error, invalid }: { label?: string; value: string; onChange: (v: string) => void; error: unknown; invalid?: string | null }) {
  const accounts = useAccounts();
  return (
    <SelectField label={label} name="paidFrom" value={value} onChange={(e) => onChange(e.target.value)} error={error} invalid={invalid} required>
      <option value="">Choose an account…</option>
      {cashAccounts(accounts.data).map((a) => (
        <option key={a.id} value={a.id}>
          {accountLabel(a)}
          {a.currency ? ` (${a.currency})` : ''}
        </option>
      ))}
    </SelectField>
  );
}

export function PaymentFields({
  mode,
  onMode,
  paidFrom,
  onPaidFrom,
  error,
  clientErrors,
  labels = {},
  due,
}: {
  mode: PaidMode;
  onMode: (m: PaidMode) => void;
  paidFrom: string;
  onPaidFrom: (v: string) => void;
  error: unknown;
  clientErrors: Record<string, string>;
  labels?: { paidFrom?: string; legend?: string };
  /** The bill's due field (a due date on an expense, days after each occurrence on a recurring one). */
  due: ReactNode;
}) {
  return (
    <div className="form">
      <RadioGroup
        legend={labels.legend ?? 'Payment'}
        value={mode}
        onChange={onMode}
        options={
          [
            ['paid', 'Paid'],
            ['unpaid', 'Unpaid bill'],
          ] as const
        }
      />
      {mode === 'paid' ? <PaidFromSelect label={labels.paidFrom} value={paidFrom} onChange={onPaidFrom} error={error} invalid={clientErrors.paidFrom} /> : due}
    </div>
  );
}

export function DueDateField({ label = 'Due date', value, onChange, error, invalid }: { label?: string; value: string; onChange: (v: string) => void; error: unknown; invalid?: string | null }) {
  return <TextField label={label} name="dueDate" type="date" value={value} onChange={(e) => onChange(e.target.value)} error={error} invalid={invalid} required />;
}
