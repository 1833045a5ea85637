import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { MoneyText } from '@/components/Money';
import { PageHeader } from '@/components/Page';
import { QueryView } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { useOrg } from '@/lib/org';
import { ExportButtons } from './exports';
import { isYear, ParamsBar, sum, Tile, useDefaults, useParam, YearField } from './shared';
import './reports.css';

type Vendor = Schemas['Vendor1099'];

/** `reports/vendors-1099`: vendors flagged for Form 1099 paid at least the year's threshold. */
export default function Vendors1099Page() {
  const { orgId } = useOrg();
  const d = useDefaults();
  const [year, setYear] = useParam('year', d.year);
  const valid = isYear(year);
  const q = useQuery({
    queryKey: ['orgs', orgId, 'reports', 'vendors-1099', { year }],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/reports/vendors-1099', { orgId }, { year: Number.parseInt(year, 10) }, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title="1099 vendors">
        <p className="muted">Vendors flagged for Form 1099 and paid at least the year&apos;s reporting threshold, counted when paid.</p>
      </PageHeader>
      <ParamsBar>
        <YearField value={year} onChange={setYear} error={q.error} />
      </ParamsBar>
      <ExportButtons requests={[{ kind: 'year-end', body: valid ? { kind: 'year-end', year: Number.parseInt(year, 10) } : null }]} shown={['year']} />
      {valid ? (
        <QueryView query={q}>
          {(data) => {
            const total = sum(
              data.vendors.map((v) => v.paid),
              data.threshold.currency,
            );
            return (
              <>
                <div className="grid report-tiles">
                  <Tile label={`Threshold ${data.year}`}>
                    <MoneyText value={data.threshold} />
                  </Tile>
                  <Tile label="Vendors to report">{data.vendors.length}</Tile>
                  <Tile label="Paid to them">
                    <MoneyText value={total} />
                  </Tile>
                </div>
                {data.vendors.length ? (
                  <Table<Vendor>
                    caption={`Vendors to report on Form 1099 for ${data.year}`}
                    rowKey={(v) => v.vendorId}
                    rows={data.vendors}
                    columns={[
                      // There is no page per vendor (`vendors` is one list): a link to `vendors/<id>` would read "Not found".
                      { header: 'Vendor', cell: (v) => v.name },
                      { header: 'Tax ID', cell: (v) => v.taxId ?? <span className="field-error">None on file: ask for a W-9</span> },
                      { header: 'Payments', numeric: true, cell: (v) => v.payments },
                      { header: 'Paid', numeric: true, cell: (v) => <MoneyText value={v.paid} /> },
                    ]}
                  />
                ) : (
                  <div className="empty">No vendor reaches the threshold in {data.year}.</div>
                )}
              </>
            );
          }}
        </QueryView>
      ) : (
        <p className="muted">Enter a year from 2000 to 2100.</p>
      )}
    </>
  );
}
