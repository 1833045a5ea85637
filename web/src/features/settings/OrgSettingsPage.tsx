import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch, type Schemas } from '@/api/client';
import { FormError, SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { meKey, useCan, useOrg, type Org } from '@/lib/org';
import { Facts } from './common';

const FALLBACK_CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP', 'AUD', 'NZD', 'CHF', 'JPY', 'MXN'];

function supported(kind: 'currency' | 'timeZone', fallback: string[]): string[] {
  try {
    const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
    return intl.supportedValuesOf?.(kind) ?? fallback;
  } catch {
    return fallback;
  }
}

const CURRENCIES = supported('currency', FALLBACK_CURRENCIES);
/** The API's phone pattern: 7 to 15 digits, with an optional leading + and spaces, dots, dashes or brackets. */
const PHONE = /^\+?[ ().-]*([0-9][ ().-]*){7,15}$/;
const TIME_ZONES = supported('timeZone', ['UTC']);

function OrgForm({ org }: { org: Org }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [name, setName] = useState(org.name);
  const [baseCurrency, setCurrency] = useState(org.baseCurrency);
  const [country, setCountry] = useState(org.country);
  const [timezone, setTimezone] = useState(org.timezone);
  const [alertPhone, setAlertPhone] = useState(org.alertPhone ?? '');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => {
      // Only what changed (an unchanged base currency is not sent again).
      const body: Schemas['UpdateOrg'] = {};
      if (name.trim() !== org.name) body.name = name.trim();
      if (baseCurrency !== org.baseCurrency) body.baseCurrency = baseCurrency as Schemas['CurrencyCode'];
      if (country.trim().toUpperCase() !== org.country) body.country = country.trim().toUpperCase() as Schemas['Country'];
      if (timezone.trim() !== org.timezone) body.timezone = timezone.trim() as Schemas['TimeZone'];
      // `""` clears the phone.
      if (alertPhone.trim() !== (org.alertPhone ?? '')) body.alertPhone = alertPhone.trim();
      return apiPatch('/api/v1/orgs/{orgId}', { orgId }, body);
    },
    onSuccess: async (updated) => {
      qc.setQueryData(['orgs', orgId], updated);
      setSaved(true);
      await Promise.all([qc.invalidateQueries({ queryKey: ['orgs', orgId], exact: true }), qc.invalidateQueries({ queryKey: meKey })]);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const phone = alertPhone.trim();
    const problems: Record<string, string> = phone && !PHONE.test(phone) ? { alertPhone: 'Enter a phone number of 7 to 15 digits, such as +1 555 010 0100.' } : {};
    setInvalid(problems);
    if (Object.keys(problems).length) return;
    save.mutate();
  };
  const currencies = CURRENCIES.includes(org.baseCurrency) ? CURRENCIES : [org.baseCurrency, ...CURRENCIES];
  return (
    <form className="form card settings-form" onSubmit={submit} noValidate>
      <FormError error={save.error} shown={['name', 'baseCurrency', 'country', 'timezone', 'alertPhone']} />
      {saved && !save.isPending ? (
        <div className="ok-box" role="status">
          Saved.
        </div>
      ) : null}
      <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={save.error} required autoComplete="organization" />
      <div className="form-row">
        <SelectField label="Base currency" name="baseCurrency" value={baseCurrency} onChange={(e) => setCurrency(e.target.value)} error={save.error}>
          {currencies.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </SelectField>
        <TextField label="Country" name="country" value={country} maxLength={2} onChange={(e) => setCountry(e.target.value)} error={save.error} hint="ISO code, e.g. US" required />
      </div>
      <TextField
        label="Timezone"
        name="timezone"
        value={timezone}
        list="settings-timezones"
        onChange={(e) => setTimezone(e.target.value)}
        error={save.error}
        hint="IANA name, e.g. America/New_York: rent runs and “today” follow it."
        required
      />
      <datalist id="settings-timezones">
        {TIME_ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <TextField
        label="Emergency alert phone"
        name="alertPhone"
        type="tel"
        value={alertPhone}
        onChange={(e) => setAlertPhone(e.target.value)}
        error={save.error}
        invalid={invalid.alertPhone}
        autoComplete="tel"
        hint="The phone an emergency maintenance request is texted to at once, e.g. +1 555 010 0100. Leave empty for none."
      />
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save organization'}
        </button>
      </div>
    </form>
  );
}

/**
 * `settings/org`: the org's name, base currency, country, timezone and the phone emergencies are
 * texted to (owners change them).
 */
export default function OrgSettingsPage() {
  const { org } = useOrg();
  const canEdit = useCan('orgUpdate');
  return (
    <Section title="Organization">
      {canEdit ? (
        <OrgForm org={org} />
      ) : (
        <div className="card settings-form">
          <Facts
            items={[
              ['Name', org.name],
              ['Base currency', org.baseCurrency],
              ['Country', org.country],
              ['Timezone', org.timezone],
              ['Emergency alert phone', org.alertPhone || 'None'],
            ]}
          />
          <p className="muted">Only an owner can change these.</p>
        </div>
      )}
    </Section>
  );
}
