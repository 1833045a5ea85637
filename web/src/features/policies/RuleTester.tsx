/**
 * "Which rule applies?": an area, a place, a day and the facts known → the rule in effect and
 * why, and every other rule considered with why it lost (outranked, not in effect, or its
 * condition not met), as `policies:resolve` answers for a lease check.
 */
import { useState, type FormEvent } from 'react';
import { FormError, SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, todayIn } from '@/lib/dates';
import { useOrg } from '@/lib/org';
import { LEASE_CHECK_ACTION, OUTCOME_LABELS, POLICY_AREAS, areaLabel, placeName, termsInWords, type PolicyArea } from '@/lib/policies';
import { useResolution, type Candidate, type Resolution, type ResolveAsk } from './data';
import { OriginBadge, PolicyCard } from './PolicyCard';

type Fact = '' | 'yes' | 'no';

/** The API's reason with a full stop (it may start with a rule's id, so its case is kept). */
const sentence = (text: string) => {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

const fact = (f: Fact): boolean | undefined => (f === '' ? undefined : f === 'yes');

function FactSelect({ label, name, value, onChange }: { label: string; name: string; value: Fact; onChange: (v: Fact) => void }) {
  return (
    <SelectField label={label} name={name} value={value} onChange={(e) => onChange(e.target.value as Fact)}>
      <option value="">Not known</option>
      <option value="yes">Yes</option>
      <option value="no">No</option>
    </SelectField>
  );
}

function Answer({ r }: { r: Resolution }) {
  const where = placeName(r.country, r.region);
  return (
    <div className="policy-answer" data-testid="policy-resolution">
      <p className="policy-asked">
        {areaLabel(r.area)} in {where} on {formatDay(r.date)}:
      </p>
      {r.winner ? (
        <div className="policy-winner">
          <p className="ok-box">
            <strong>Applies: {r.winner.name}.</strong> {termsInWords(r.winner.area, r.winner.rule)}
            <br />
            <span>Why: {sentence(r.reason)}</span>
          </p>
          {/* Its standing as of the day asked about, not today. */}
          <PolicyCard policy={r.winner} today={r.date} level={3} showPlace />
        </div>
      ) : (
        <p className="empty">
          <strong>No rule applies: nothing limits this here</strong> ({r.reason}).
        </p>
      )}
      {r.candidates.length ? (
        <Table<Candidate>
          caption="Other rules considered"
          rows={r.candidates}
          rowKey={(c) => c.policy.id}
          columns={[
            {
              header: 'Rule',
              cell: (c) => (
                <span className="policy-cell">
                  <strong>{c.policy.name}</strong>
                  <small className="muted">
                    <code>{c.policy.id}</code>
                  </small>
                </span>
              ),
            },
            { header: 'From', cell: (c) => <OriginBadge policy={c.policy} /> },
            { header: 'Outcome', cell: (c) => <span className={`status policy-outcome-${c.outcome}`}>{OUTCOME_LABELS[c.outcome] ?? c.outcome}</span> },
            { header: 'Why', cell: (c) => <span className="policy-cell policy-wide">{c.reason}</span> },
          ]}
        />
      ) : (
        <p className="muted">No other rule was considered.</p>
      )}
    </div>
  );
}

export function RuleTester() {
  const { org } = useOrg();
  const [area, setArea] = useState<PolicyArea>('deposit');
  const [country, setCountry] = useState(org.country);
  const [region, setRegion] = useState('');
  const [date, setDate] = useState(() => todayIn(org.timezone));
  const [smallLandlord, setSmallLandlord] = useState<Fact>('');
  const [serviceMember, setServiceMember] = useState<Fact>('');
  const [ask, setAsk] = useState<ResolveAsk | null>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const answer = useResolution(ask);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^[A-Za-z]{2}$/.test(country.trim())) errs.country = 'Enter a two-letter country code, such as US.';
    if (!date) errs.date = 'Enter a day.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    const action = LEASE_CHECK_ACTION[area];
    setAsk({
      area,
      country: country.trim().toUpperCase(),
      region: region.trim() || undefined,
      date,
      entityType: 'lease',
      action,
      smallLandlord: fact(smallLandlord),
      serviceMember: fact(serviceMember),
    });
  };
  const error = ask ? answer.error : null;
  return (
    <Section title="Which rule applies?">
      <p className="muted">The rule a lease check would use for a place on a day (your rules first, then the built-in ones), and why every other one did not apply.</p>
      <form className="form card policy-tester" onSubmit={submit} noValidate aria-label="Which rule applies?">
        <FormError error={error} shown={['area', 'country', 'region', 'date', 'smallLandlord', 'serviceMember']} />
        <div className="form-row">
          <SelectField label="Area" name="area" value={area} onChange={(e) => setArea(e.target.value as PolicyArea)} error={error}>
            {POLICY_AREAS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </SelectField>
          <TextField label="Country" name="country" value={country} onChange={(e) => setCountry(e.target.value)} error={error} invalid={invalid.country} maxLength={2} autoComplete="off" spellCheck={false} hint="e.g. US, GB, DE." />
          <TextField label="Region" name="region" value={region} onChange={(e) => setRegion(e.target.value)} error={error} maxLength={40} autoComplete="off" hint="Optional: NY, New York, ENG…" />
          <TextField label="On" name="date" type="date" value={date} onChange={(e) => setDate(e.target.value)} error={error} invalid={invalid.date} />
        </div>
        <div className="form-row">
          <FactSelect label="Small landlord?" name="smallLandlord" value={smallLandlord} onChange={setSmallLandlord} />
          <FactSelect label="Tenant a service member?" name="serviceMember" value={serviceMember} onChange={setServiceMember} />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={!!ask && answer.isFetching}>
            Find the rule
          </button>
        </div>
      </form>
      <div aria-live="polite" aria-busy={!!ask && answer.isFetching}>
        {/* An error shows above the form's fields (FormError), where the fields it names are. */}
        {!ask || answer.error ? null : answer.isPending ? <Loading label="Finding the rule…" /> : answer.data ? <Answer r={answer.data} /> : null}
      </div>
    </Section>
  );
}
