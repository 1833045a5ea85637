import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPut, type Schemas } from '@/api/client';
import { FormError, MoneyField, SelectField, TextField } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { Section } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { formatDay } from '@/lib/dates';
import { normalizeAmount, toScaled } from '@/lib/money';
import { useCan, useOrg } from '@/lib/org';
import { Checkbox, Facts } from './common';

type BillingSettings = Schemas['BillingSettings'];
type LateFeePolicy = Schemas['LateFeePolicy'];
type MoneyInput = Schemas['MoneyInput'];
type BankBaseRate = Schemas['BankBaseRate'];

const settingsKey = (orgId: string) => ['orgs', orgId, 'billing-settings'] as const;

function intIn(s: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(s.trim())) return null;
  const n = Number.parseInt(s.trim(), 10);
  return n >= min && n <= max ? n : null;
}

function describePolicy(p: LateFeePolicy | null | undefined) {
  if (!p) return 'None';
  return (
    <>
      {p.flat ? <MoneyText value={p.flat} /> : `${p.percent ?? '?'} % of the overdue rent`} after {p.graceDays} day{p.graceDays === 1 ? '' : 's'} of grace
      {p.capPerMonth ? (
        <>
          , at most <MoneyText value={p.capPerMonth} /> a month
        </>
      ) : null}
    </>
  );
}

/** A base rate as the API takes it: a percentage from 0 to 100 with up to 6 decimals (compared as integers). */
const RATE = /^\d{1,3}(\.\d{1,6})?$/;
const rateOk = (s: string) => RATE.test(s) && (toScaled(s, 6) ?? 101n) <= 100n * 10n ** 6n;

/** The rates' problems by the API's field names (`bankBaseRates[1].ratePercent`). */
export function baseRateProblems(rates: BankBaseRate[]): Record<string, string> {
  const errs: Record<string, string> = {};
  rates.forEach((r, i) => {
    if (!rateOk(r.ratePercent.trim())) errs[`bankBaseRates[${i}].ratePercent`] = 'Enter a rate from 0 to 100, such as 5.25.';
    if (!r.effectiveFrom) errs[`bankBaseRates[${i}].effectiveFrom`] = 'Enter the day it took effect.';
    else if (rates.slice(0, i).some((o) => o.effectiveFrom === r.effectiveFrom)) errs[`bankBaseRates[${i}].effectiveFrom`] = 'Another rate starts that day.';
  });
  return errs;
}

/** The central bank's base rate by the day it took effect (England's late-fee rule caps fees at interest above it). */
function BaseRates({ rates, setRates, error, invalid }: { rates: BankBaseRate[]; setRates: (f: (r: BankBaseRate[]) => BankBaseRate[]) => void; error: unknown; invalid: Record<string, string | undefined> }) {
  const { orgId } = useOrg();
  const set = (i: number, patch: Partial<BankBaseRate>) => setRates((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="form">
      <legend>Bank base rates</legend>
      <p className="muted">
        The central bank’s base rate from the day it took effect. Some places cap a late fee as interest above it (England’s at 3 points): see <Link to={`/orgs/${orgId}/policies`}>Policies</Link>.
      </p>
      {rates.length === 0 ? <p className="muted">No rates recorded.</p> : null}
      {rates.map((r, i) => (
        <div className="form-row base-rate" key={i} role="group" aria-label={`Base rate ${i + 1}`}>
          <TextField
            label={`Rate ${i + 1} (% a year)`}
            name={`bankBaseRates[${i}].ratePercent`}
            inputMode="decimal"
            autoComplete="off"
            value={r.ratePercent}
            onChange={(e) => set(i, { ratePercent: e.target.value })}
            error={error}
            invalid={invalid[`bankBaseRates[${i}].ratePercent`]}
          />
          <TextField
            label={`Rate ${i + 1} in effect from`}
            name={`bankBaseRates[${i}].effectiveFrom`}
            type="date"
            value={r.effectiveFrom}
            onChange={(e) => set(i, { effectiveFrom: e.target.value })}
            error={error}
            invalid={invalid[`bankBaseRates[${i}].effectiveFrom`]}
          />
          <button type="button" className="btn base-rate-remove" onClick={() => setRates((rs) => rs.filter((_, j) => j !== i))}>
            Remove rate {i + 1}
          </button>
        </div>
      ))}
      {rates.length < 100 ? (
        <div>
          <button type="button" className="btn" onClick={() => setRates((rs) => [...rs, { ratePercent: '', effectiveFrom: '' }])}>
            Add base rate
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}

function BillingForm({ settings }: { settings: BillingSettings }) {
  const { orgId, org } = useOrg();
  const qc = useQueryClient();
  const policy = settings.lateFeePolicy ?? null;
  const currency = policy?.flat?.currency ?? policy?.capPerMonth?.currency ?? org.baseCurrency;
  const [leadDays, setLeadDays] = useState(String(settings.rentLeadDays ?? 0));
  const [reminderDays, setReminderDays] = useState(settings.rentReminderDays == null ? '' : String(settings.rentReminderDays));
  const [lateFee, setLateFee] = useState(!!policy);
  const [graceDays, setGraceDays] = useState(String(policy?.graceDays ?? 5));
  const [feeType, setFeeType] = useState<'flat' | 'percent'>(policy?.percent ? 'percent' : 'flat');
  const [flat, setFlat] = useState(policy?.flat?.amount ?? '');
  const [percent, setPercent] = useState(policy?.percent ?? '');
  const [cap, setCap] = useState(policy?.capPerMonth?.amount ?? '');
  const [rates, setRates] = useState<BankBaseRate[]>(() => settings.bankBaseRates ?? []);
  const [invalid, setInvalid] = useState<Record<string, string | undefined>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: BillingSettings) => apiPut('/api/v1/orgs/{orgId}/billing-settings', { orgId }, body),
    onSuccess: (data) => {
      qc.setQueryData(settingsKey(orgId), data);
      setSaved(true);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const errs: Record<string, string | undefined> = {};
    const lead = intIn(leadDays, 0, 31);
    if (lead === null) errs.rentLeadDays = 'Enter a whole number of days from 0 to 31.';
    const reminder = reminderDays.trim() === '' ? null : intIn(reminderDays, 0, 30);
    if (reminderDays.trim() !== '' && reminder === null) errs.rentReminderDays = 'Enter a whole number of days from 0 to 30, or leave it empty.';
    let lateFeePolicy: LateFeePolicy | null = null;
    if (lateFee) {
      const grace = intIn(graceDays, 0, 365);
      if (grace === null) errs['lateFeePolicy.graceDays'] = 'Enter a whole number of days.';
      const flatAmount = feeType === 'flat' ? normalizeAmount(flat, currency) : null;
      if (feeType === 'flat' && (flatAmount === null || flat.trim().startsWith('-'))) errs['lateFeePolicy.flat'] = `Enter an amount in ${currency}, such as 50.00.`;
      if (feeType === 'percent' && !/^\d+(\.\d+)?$/.test(percent.trim())) errs['lateFeePolicy.percent'] = 'Enter a percentage, such as 5.';
      const capAmount = cap.trim() ? normalizeAmount(cap, currency) : null;
      if (cap.trim() && (capAmount === null || cap.trim().startsWith('-'))) errs['lateFeePolicy.capPerMonth'] = `Enter an amount in ${currency}, or leave it empty.`;
      const money = (amount: string) => ({ amount, currency }) as MoneyInput;
      const capPerMonth = capAmount ? money(capAmount) : null;
      lateFeePolicy =
        feeType === 'flat'
          ? { graceDays: grace ?? 0, flat: money(flatAmount ?? '0'), capPerMonth }
          : { graceDays: grace ?? 0, percent: percent.trim(), capPerMonth };
    }
    const bankBaseRates = rates.map((r) => ({ ratePercent: r.ratePercent.trim(), effectiveFrom: r.effectiveFrom }));
    Object.assign(errs, baseRateProblems(bankBaseRates));
    setInvalid(errs);
    if (Object.values(errs).some(Boolean)) return;
    // The PUT replaces every setting: the rates are sent as they stand, or they would be lost.
    save.mutate({ rentLeadDays: lead ?? 0, rentReminderDays: reminder, lateFeePolicy, bankBaseRates });
  };
  const shown = ['rentLeadDays', 'rentReminderDays', 'lateFeePolicy.graceDays', 'lateFeePolicy.flat', 'lateFeePolicy.percent', 'lateFeePolicy.capPerMonth', ...rates.flatMap((_, i) => [`bankBaseRates[${i}]`])];
  return (
    <form className="form card settings-form" onSubmit={submit} noValidate>
      <FormError error={save.error} shown={shown} />
      {saved && !save.isPending ? (
        <div className="ok-box" role="status">
          Billing settings saved.
        </div>
      ) : null}
      <div className="form-row">
        <TextField
          label="Rent lead time (days)"
          name="rentLeadDays"
          type="number"
          inputMode="numeric"
          min={0}
          max={31}
          value={leadDays}
          onChange={(e) => setLeadDays(e.target.value)}
          error={save.error}
          invalid={invalid.rentLeadDays}
          hint="Rent charges are created this many days before they are due (0–31)."
          required
        />
        <TextField
          label="Reminder (days before due)"
          name="rentReminderDays"
          type="number"
          inputMode="numeric"
          min={0}
          max={30}
          value={reminderDays}
          onChange={(e) => setReminderDays(e.target.value)}
          error={save.error}
          invalid={invalid.rentReminderDays}
          hint="Tenants are reminded this many days before rent is due (empty: 3)."
        />
      </div>
      <fieldset className="form">
        <legend>Default late fee</legend>
        <Checkbox label="Charge a late fee by default" checked={lateFee} onChange={setLateFee} />
        {lateFee ? (
          <>
            <div className="form-row">
              <TextField
                label="Grace days"
                name="lateFeePolicy.graceDays"
                type="number"
                inputMode="numeric"
                min={0}
                value={graceDays}
                onChange={(e) => setGraceDays(e.target.value)}
                error={save.error}
                invalid={invalid['lateFeePolicy.graceDays']}
                hint="Days after the due date before a fee applies."
                required
              />
              <SelectField label="Late fee type" name="lateFeeType" value={feeType} onChange={(e) => setFeeType(e.target.value as 'flat' | 'percent')} error={save.error}>
                <option value="flat">A flat amount</option>
                <option value="percent">A percentage of the overdue rent</option>
              </SelectField>
              {feeType === 'flat' ? (
                <MoneyField label="Flat fee" name="lateFeePolicy.flat" currency={currency} value={flat} onChange={setFlat} error={save.error} invalid={invalid['lateFeePolicy.flat']} required />
              ) : (
                <TextField
                  label="Percent of overdue rent"
                  name="lateFeePolicy.percent"
                  inputMode="decimal"
                  value={percent}
                  onChange={(e) => setPercent(e.target.value)}
                  error={save.error}
                  invalid={invalid['lateFeePolicy.percent']}
                  hint="5 means 5 %."
                  required
                />
              )}
              <MoneyField
                label="Monthly cap (optional)"
                name="lateFeePolicy.capPerMonth"
                currency={currency}
                value={cap}
                onChange={setCap}
                error={save.error}
                invalid={invalid['lateFeePolicy.capPerMonth']}
              />
            </div>
          </>
        ) : null}
      </fieldset>
      <BaseRates rates={rates} setRates={setRates} error={save.error} invalid={invalid} />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save billing settings'}
        </button>
      </div>
    </form>
  );
}

/** `settings/billing`: rent lead time, reminders, the default late-fee policy and the bank base rates. */
export default function BillingSettingsPage() {
  const { orgId } = useOrg();
  const canEdit = useCan('billingConfigure');
  const q = useQuery({ queryKey: settingsKey(orgId), queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/billing-settings', { orgId }, undefined, { signal }) });
  return (
    <Section title="Billing settings">
      <QueryView query={q}>
        {(s) =>
          canEdit ? (
            <BillingForm settings={s} />
          ) : (
            <div className="card settings-form">
              <Facts
                items={[
                  ['Rent lead time', `${s.rentLeadDays ?? 0} days before the due date`],
                  ['Reminder', s.rentReminderDays == null ? '3 days before the due date (default)' : `${s.rentReminderDays} days before the due date`],
                  ['Default late fee', describePolicy(s.lateFeePolicy)],
                  ['Bank base rates', s.bankBaseRates?.length ? s.bankBaseRates.map((r) => `${r.ratePercent} % from ${formatDay(r.effectiveFrom)}`).join('; ') : 'None recorded'],
                ]}
              />
              <p className="muted">Only an owner or a manager can change these.</p>
            </div>
          )
        }
      </QueryView>
    </Section>
  );
}
