/** Tenants: the org's tenants page by page and the "New tenant" form (the list shows the new tenant). */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost, type Schemas } from '@/api/client';
import { PageHeader } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { useCan, useOrg } from '@/lib/org';
import { TenantForm, type TenantBody } from './TenantForm';
import { tenantKey, tenantsKey, tenantsPagedKey } from './keys';

type Tenant = Schemas['Tenant'];

export default function TenantsPage() {
  const { orgId } = useOrg();
  const canWrite = useCan('leasingWrite');
  const [creating, setCreating] = useState(false);
  const [added, setAdded] = useState<Tenant | null>(null);
  const qc = useQueryClient();

  const list = usePaged<Tenant>(tenantsPagedKey(orgId), (cursor, signal) =>
    apiGet('/api/v1/orgs/{orgId}/tenants', { orgId }, { cursor, limit: 50 }, { signal }),
  );

  const create = useMutation({
    mutationFn: (body: TenantBody) => apiPost('/api/v1/orgs/{orgId}/tenants', { orgId }, body),
    onSuccess: async (t) => {
      qc.setQueryData(tenantKey(orgId, t.id), t);
      // A first read of the list may still be in flight from before the tenant existed: cancel
      // it so the refetch asks again rather than joining it.
      await qc.cancelQueries({ queryKey: tenantsPagedKey(orgId) });
      void qc.invalidateQueries({ queryKey: tenantsKey(orgId) });
      setAdded(t);
      setCreating(false);
    },
  });

  return (
    <>
      <PageHeader
        title="Tenants"
        actions={
          canWrite && !creating ? (
            <button
              type="button"
              className="btn primary"
              onClick={() => {
                create.reset();
                setAdded(null);
                setCreating(true);
              }}
            >
              New tenant
            </button>
          ) : null
        }
      />
      {added ? (
        <div className="ok-box" role="status">
          Added{' '}
          <Link to={`/orgs/${orgId}/tenants/${added.id}`}>
            {added.firstName} {added.lastName}
          </Link>
          .
        </div>
      ) : null}
      {creating && canWrite ? (
        <div className="narrow">
          <TenantForm
            title="New tenant"
            submitLabel="Create tenant"
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
        <Empty>No tenants yet.{canWrite ? ' Add one with “New tenant”.' : ''}</Empty>
      ) : (
        <>
          <Table<Tenant>
            caption="Tenants"
            rowKey={(t) => t.id}
            rows={list.items}
            columns={[
              {
                header: 'Name',
                cell: (t) => (
                  <Link to={`/orgs/${orgId}/tenants/${t.id}`}>
                    {t.firstName} {t.lastName}
                  </Link>
                ),
              },
              { header: 'Email', cell: (t) => <a href={`mailto:${t.email}`}>{t.email}</a> },
              { header: 'Phone', cell: (t) => t.phone || <span className="muted">—</span> },
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
    </>
  );
}
