/**
 * Buildings: the org's buildings page by page (archived ones marked — the API lists them too),
 * and the "New building" form, which opens the building once it is created.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { PageHeader } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { useCan, useOrg } from '@/lib/org';
import { BuildingForm, type BuildingBody } from './BuildingForm';
import { buildingKey, buildingsKey, buildingsPagedKey } from './keys';
import { formatAddress } from './address';
import './properties.css';

type Building = Schemas['Building'];

export default function BuildingsPage() {
  const { orgId } = useOrg();
  const canWrite = useCan('propertyWrite');
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();

  const list = usePaged<Building>(buildingsPagedKey(orgId), (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/buildings', { orgId }, { cursor, limit: 50 }, { signal }),
  );

  const create = useMutation({
    mutationFn: (body: BuildingBody) => apiPost('/api/v1/orgs/{orgId}/buildings', { orgId }, body),
    onSuccess: (b) => {
      qc.setQueryData(buildingKey(orgId, b.id), b);
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId) });
      navigate(`/orgs/${orgId}/buildings/${b.id}`);
    },
  });

  return (
    <>
      <PageHeader
        title="Buildings"
        actions={
          canWrite && !creating ? (
            <button type="button" className="btn primary" onClick={() => setCreating(true)}>
              New building
            </button>
          ) : null
        }
      />
      {creating && canWrite ? (
        <div className="narrow">
          <BuildingForm
            title="New building"
            submitLabel="Create building"
            pending={create.isPending}
            error={create.error}
            onSubmit={(body) => create.mutate(body)}
            onCancel={() => {
              setCreating(false);
              create.reset();
            }}
          />
        </div>
      ) : null}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.items.length === 0 ? (
        <Empty>No buildings yet.{canWrite ? ' Add one with “New building”, then add its units.' : ''}</Empty>
      ) : (
        <>
          <Table<Building>
            caption="Buildings"
            rowKey={(b) => b.id}
            rows={list.items}
            columns={[
              { header: 'Name', cell: (b) => <Link to={`/orgs/${orgId}/buildings/${b.id}`}>{b.name}</Link> },
              { header: 'Address', cell: (b) => formatAddress(b.address) },
              { header: 'Units', numeric: true, cell: (b) => b.unitCount },
              { header: 'Status', cell: (b) => (b.archived ? <span className="status props-archived">Archived</span> : <span className="status">Active</span>) },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </>
  );
}
