/** Fixed assets: buildings' depreciable basis and capital improvements, with what has been depreciated. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { Section } from '@/components/Page';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { MoneyText } from '@/components/Money';
import { formatDay, monthLabel } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { depreciationToDate, lifeLabel, METHOD_SHORT } from './depreciation';
import { FixedAssetForm } from './FixedAssetForm';
import { keys } from './lookups';
import { BuildingName } from './names';

type FixedAsset = Schemas['FixedAsset'];

export default function FixedAssetsTab() {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const assets = useQuery({
    queryKey: keys.fixedAssets(orgId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/fixed-assets', { orgId }, undefined, { signal }),
  });
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = [...(assets.data?.items ?? [])].sort((a, b) => a.placedInService.localeCompare(b.placedInService) || a.name.localeCompare(b.name));

  return (
    <>
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {canWrite && open ? (
        <Section title="New fixed asset">
          <FixedAssetForm
            onCancel={() => setOpen(false)}
            onDone={(a) => {
              setOpen(false);
              setNotice(`Created ${a.name}.`);
            }}
          />
        </Section>
      ) : null}
      <Section
        title="Fixed assets"
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
              New fixed asset
            </button>
          ) : null
        }
      >
        <p className="muted">Monthly depreciation (mid-month convention) is posted by a nightly job to Schedule E line 18.</p>
        {assets.isPending ? (
          <Loading />
        ) : assets.error ? (
          <ErrorState error={assets.error} />
        ) : rows.length === 0 ? (
          <Empty>No fixed assets yet.</Empty>
        ) : (
          <Table
            caption="Fixed assets and their depreciation"
            rows={rows}
            rowKey={(a) => a.id}
            columns={[
              { header: 'Building', cell: (a: FixedAsset) => <BuildingName id={a.buildingId} /> },
              { header: 'Name', cell: (a) => a.name },
              { header: 'Cost', numeric: true, cell: (a) => <MoneyText value={a.cost} /> },
              { header: 'Land value', numeric: true, cell: (a) => <MoneyText value={a.landValue} /> },
              { header: 'Basis', numeric: true, cell: (a) => <MoneyText value={a.basis} /> },
              { header: 'Placed in service', cell: (a) => formatDay(a.placedInService) },
              { header: 'Method', cell: (a) => METHOD_SHORT[a.method] },
              { header: 'Life', cell: (a) => lifeLabel(a.method, a.lifeYears) },
              { header: 'Depreciated through', cell: (a) => (a.depreciatedThrough ? monthLabel(a.depreciatedThrough) : <span className="muted">Not yet</span>) },
              { header: 'Depreciated to date', numeric: true, cell: (a) => <MoneyText value={depreciationToDate(a)?.posted} /> },
              { header: 'Remaining basis', numeric: true, cell: (a) => <MoneyText value={depreciationToDate(a)?.remaining} /> },
            ]}
          />
        )}
      </Section>
    </>
  );
}
