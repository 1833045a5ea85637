import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, type Schemas } from '@/api/client';
import { FormError, SelectField, TextField } from '@/components/Field';
import { PageHeader } from '@/components/Page';
import { meKey } from '@/lib/org';

const CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP', 'AUD'];
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** `/orgs/new`: the caller becomes the new org's owner. */
export default function CreateOrgPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [baseCurrency, setCurrency] = useState('USD');
  const [country, setCountry] = useState('US');
  const [timezone, setTimezone] = useState(browserZone);
  const create = useMutation({
    mutationFn: () => apiPost('/api/v1/orgs', {}, {
        name: name.trim(),
        // The API validates these against ISO 4217, ISO 3166 and the IANA database and names the field if not.
        baseCurrency: baseCurrency as Schemas['CurrencyCode'],
        country: country.trim().toUpperCase() as Schemas['Country'],
        timezone: timezone.trim() as Schemas['TimeZone'],
      }),
    onSuccess: async (org) => {
      await qc.invalidateQueries({ queryKey: meKey });
      localStorage.setItem('pos.lastOrg', org.id);
      navigate(`/orgs/${org.id}/dashboard`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const shown = ['name', 'baseCurrency', 'country', 'timezone'];
  return (
    <div className="narrow">
      <PageHeader title="Create an organization">
        <p className="muted">Your portfolio&apos;s home: you become its owner and can invite others.</p>
      </PageHeader>
      <form onSubmit={submit} className="form card" noValidate>
        <FormError error={create.error} shown={shown} />
        <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={create.error} required autoComplete="organization" />
        <SelectField label="Base currency" name="baseCurrency" value={baseCurrency} onChange={(e) => setCurrency(e.target.value)} error={create.error}>
          {CURRENCIES.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </SelectField>
        <TextField label="Country (ISO code)" name="country" value={country} maxLength={2} onChange={(e) => setCountry(e.target.value)} error={create.error} required />
        <TextField label="Timezone" name="timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} error={create.error} hint="IANA name, e.g. America/New_York" required />
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create organization'}
          </button>
        </div>
      </form>
    </div>
  );
}
