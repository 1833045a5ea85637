/** One tenant: contact details and "Edit tenant". */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPatch, type Schemas } from '@/api/client';
import { PageHeader } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatInstant } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { TenantForm, type TenantBody } from './TenantForm';
import { tenantKey, tenantsKey } from './keys';
import './tenants.css';

type Tenant = Schemas['Tenant'];

export default function TenantPage() {
  const { tenantId = '' } = useParams();
  const { orgId } = useOrg();
  const q = useQuery({
    queryKey: tenantKey(orgId, tenantId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/tenants/{tenantId}', { orgId, tenantId }, undefined, { signal }),
  });
  if (q.isPending || q.error) {
    return (
      <>
        <BackLink orgId={orgId} />
        <PageHeader title="Tenant" />
        {q.error ? <ErrorState error={q.error} /> : <Loading />}
      </>
    );
  }
  return <TenantView tenant={q.data} />;
}

function BackLink({ orgId }: { orgId: string }) {
  return (
    <p>
      <Link to={`/orgs/${orgId}/tenants`}>← All tenants</Link>
    </p>
  );
}

function TenantView({ tenant }: { tenant: Tenant }) {
  const { orgId, org } = useOrg();
  const canWrite = useCan('leasingWrite');
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);

  const update = useMutation({
    mutationFn: (body: TenantBody) => {
      // Fields left out stay as they are (a phone cannot be removed, only changed).
      const patch: Schemas['UpdateTenant'] = { firstName: body.firstName, lastName: body.lastName, email: body.email };
      if (body.phone) patch.phone = body.phone;
      return apiPatch('/api/v1/orgs/{orgId}/tenants/{tenantId}', { orgId, tenantId: tenant.id }, patch);
    },
    onSuccess: (t) => {
      qc.setQueryData(tenantKey(orgId, t.id), t);
      // Every list of tenants (the paged list, and the pickers and names on other screens) shows the
      // new name; the tenant itself is what the PATCH answered.
      void qc.invalidateQueries({ queryKey: tenantsKey(orgId), predicate: (q) => q.queryKey[3] !== t.id });
      setEditing(false);
    },
  });

  return (
    <>
      <BackLink orgId={orgId} />
      <PageHeader
        title={`${tenant.firstName} ${tenant.lastName}`}
        actions={
          canWrite && !editing ? (
            <button
              type="button"
              className="btn"
              onClick={() => {
                update.reset();
                setEditing(true);
              }}
            >
              Edit tenant
            </button>
          ) : null
        }
      />
      {editing && canWrite ? (
        <div className="narrow">
          <TenantForm
            title="Edit tenant"
            initial={tenant}
            submitLabel="Save tenant"
            pending={update.isPending}
            error={update.error}
            onSubmit={(body) => update.mutate(body)}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <div className="card narrow">
          <dl className="tenant-facts">
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${tenant.email}`}>{tenant.email}</a>
            </dd>
            <dt>Phone</dt>
            <dd>{tenant.phone || <span className="muted">—</span>}</dd>
            <dt>Added</dt>
            <dd>{formatInstant(tenant.createdAt, org.timezone)}</dd>
            <dt>Last changed</dt>
            <dd>{formatInstant(tenant.updatedAt, org.timezone)}</dd>
          </dl>
        </div>
      )}
    </>
  );
}
