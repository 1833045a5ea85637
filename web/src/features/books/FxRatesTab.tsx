/** FX rates: the recorded rates into the base currency, by currency then date, and recording a day's rates. */
import { useState } from 'react';
import { apiGet, type Schemas } from '@/api/client';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatDay, formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { FxRatesForm } from './FxRatesForm';
import { keys } from './lookups';

type FxRate = Schemas['FxRate'];

export default function FxRatesTab() {
  const { orgId, org } = useOrg();
  const canWrite = useCan('ledgerWrite');
  const rates = usePaged<FxRate>(keys.fxRates(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/fx-rates', { orgId }, { cursor, limit: 100 }, { signal }));
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <>
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {canWrite && open ? (
        <Section title="Record FX rates">
          <FxRatesForm
            onCancel={() => setOpen(false)}
            onDone={(saved, date) => {
              setOpen(false);
              setNotice(`Saved ${saved.length === 1 ? 'the rate' : `${saved.length} rates`} for ${formatDay(date)}: ${saved.map((r) => `1 ${r.currency} = ${r.rate} ${r.baseCurrency}`).join('; ')}.`);
            }}
          />
        </Section>
      ) : null}
      <Section
        title="FX rates"
        actions={
          canWrite && !open ? (
            <button
              type="button"
              className="btn primary"
              onClick={() => {
                setNotice(null);
                setOpen(true);
              }}
            >
              Record FX rates
            </button>
          ) : null
        }
      >
        <p className="muted">Units of {org.baseCurrency} per unit of each currency. Entries dated on or after a rate’s date use it; each entry keeps the rate it was posted with.</p>
        {rates.isPending ? (
          <Loading />
        ) : rates.error ? (
          <ErrorState error={rates.error} />
        ) : rates.items.length === 0 ? (
          <Empty>No FX rates recorded.</Empty>
        ) : (
          <>
            <Table
              caption="Recorded FX rates"
              rows={rates.items}
              rowKey={(r) => `${r.currency}-${r.date}`}
              columns={[
                { header: 'Currency', cell: (r) => r.currency },
                { header: 'From', cell: (r) => formatDay(r.date) },
                { header: 'Rate', numeric: true, cell: (r) => <span className="mono">{`1 ${r.currency} = ${r.rate} ${r.baseCurrency}`}</span> },
                { header: 'Recorded', cell: (r) => formatInstant(r.recordedAt, org.timezone) },
              ]}
            />
            <LoadMore query={rates} />
          </>
        )}
      </Section>
    </>
  );
}
