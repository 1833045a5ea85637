/**
 * One building: its address and facts, today's occupancy, edit / archive / delete (each
 * destructive action asks for a second click), and its units.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPatch, type Schemas } from '@/api/client';
import { FormError } from '@/components/Field';
import { MoneyText } from '@/components/Money';
import { PageHeader } from '@/components/Page';
import { ErrorState, Loading } from '@/components/QueryState';
import { formatDay, todayIn } from '@/lib/dates';
import { useCan, useOrg } from '@/lib/org';
import { BuildingForm } from './BuildingForm';
import { formatAddress } from './address';
import { buildingKey, buildingsKey, occupancyKey } from './keys';
import { propertyTypeLabel } from './propertyTypes';
import { UnitsSection } from './UnitsSection';
import './properties.css';

type Building = Schemas['Building'];

export default function BuildingPage() {
  const { buildingId = '' } = useParams();
  const { orgId } = useOrg();
  const q = useQuery({
    queryKey: buildingKey(orgId, buildingId),
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId }, undefined, { signal }),
  });
  if (q.isPending || q.error) {
    return (
      <>
        <BackLink orgId={orgId} />
        <PageHeader title="Building" />
        {q.error ? <ErrorState error={q.error} /> : <Loading />}
      </>
    );
  }
  return <BuildingView building={q.data} />;
}

function BackLink({ orgId }: { orgId: string }) {
  return (
    <p>
      <Link to={`/orgs/${orgId}/buildings`}>← All buildings</Link>
    </p>
  );
}

function BuildingView({ building }: { building: Building }) {
  const { orgId } = useOrg();
  const canWrite = useCan('propertyWrite');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'archive' | 'delete' | null>(null);
  const key = buildingKey(orgId, building.id);
  // The building itself is what the PATCH answered (set below); its units and every list of buildings are read again.
  const notThisBuilding = (q: { queryKey: readonly unknown[] }) => q.queryKey.length !== key.length || q.queryKey[3] !== building.id;

  const update = useMutation({
    mutationFn: (body: Schemas['UpdateBuilding']) => apiPatch('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId: building.id }, body),
    onSuccess: (b) => {
      qc.setQueryData(key, b);
      // Every list of buildings (this feature's pages and the pickers and names elsewhere) shows the new name.
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId), predicate: notThisBuilding });
      void qc.invalidateQueries({ queryKey: occupancyKey(orgId) });
      setEditing(false);
      setConfirm(null);
    },
  });
  const archive = useMutation({
    mutationFn: (archived: boolean) => apiPatch('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId: building.id }, { archived }),
    onSuccess: (b) => {
      qc.setQueryData(key, b);
      // Pickers elsewhere leave archived buildings out: they read the list again.
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId), predicate: notThisBuilding });
      void qc.invalidateQueries({ queryKey: occupancyKey(orgId) });
      setConfirm(null);
    },
  });
  const remove = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/buildings/{buildingId}', { orgId, buildingId: building.id }),
    onSuccess: () => {
      qc.removeQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: buildingsKey(orgId) });
      void qc.invalidateQueries({ queryKey: occupancyKey(orgId) });
      navigate(`/orgs/${orgId}/buildings`);
    },
  });

  const busy = archive.isPending || remove.isPending;
  let actions = null;
  if (canWrite && !editing) {
    if (confirm === 'archive') {
      actions = (
        <>
          <span>Archive {building.name}? It stays readable but takes no new units.</span>
          <button type="button" className="btn danger" disabled={busy} onClick={() => archive.mutate(true)}>
            Confirm archive
          </button>
          <button type="button" className="btn" onClick={() => setConfirm(null)}>
            Cancel
          </button>
        </>
      );
    } else if (confirm === 'delete') {
      actions = (
        <>
          <span>Delete {building.name} and its units?</span>
          <button type="button" className="btn danger" disabled={busy} onClick={() => remove.mutate()}>
            Confirm delete
          </button>
          <button type="button" className="btn" onClick={() => setConfirm(null)}>
            Cancel
          </button>
        </>
      );
    } else {
      actions = (
        <>
          <button
            type="button"
            className="btn"
            onClick={() => {
              update.reset();
              setEditing(true);
            }}
          >
            Edit building
          </button>
          {building.archived ? (
            <button type="button" className="btn" disabled={busy} onClick={() => archive.mutate(false)}>
              Unarchive building
            </button>
          ) : (
            <button
              type="button"
              className="btn danger"
              onClick={() => {
                archive.reset();
                remove.reset();
                setConfirm('archive');
              }}
            >
              Archive building
            </button>
          )}
          <button
            type="button"
            className="btn danger"
            onClick={() => {
              archive.reset();
              remove.reset();
              setConfirm('delete');
            }}
          >
            Delete building
          </button>
        </>
      );
    }
  }

  return (
    <>
      <BackLink orgId={orgId} />
      <PageHeader title={building.name} actions={actions}>
        <p className="muted">
          {formatAddress(building.address)} {building.archived ? <span className="status props-archived">Archived</span> : null}
        </p>
      </PageHeader>
      {archive.error ? <FormError error={archive.error} /> : null}
      {remove.error ? <FormError error={remove.error} /> : null}
      {building.archived ? <p className="muted">This building is archived: it stays readable but takes no new units.</p> : null}

      {editing && canWrite ? (
        <div className="narrow">
          <BuildingForm
            title="Edit building"
            initial={building}
            submitLabel="Save building"
            pending={update.isPending}
            error={update.error}
            onSubmit={(body) => update.mutate(body)}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <div className="card">
          <dl className="props-facts">
            <dt>Units</dt>
            <dd>{building.unitCount}</dd>
            <dt>Occupancy today</dt>
            <dd>
              <BuildingOccupancy buildingId={building.id} />
            </dd>
            <dt>Property type</dt>
            <dd>{propertyTypeLabel(building.propertyType)}</dd>
            <dt>Market value</dt>
            <dd>
              <MoneyText value={building.marketValue} />
            </dd>
            <dt>Purchase date</dt>
            <dd>{formatDay(building.purchaseDate)}</dd>
            <dt>Purchase price</dt>
            <dd>
              <MoneyText value={building.purchasePrice} />
            </dd>
          </dl>
        </div>
      )}

      <UnitsSection building={building} />
    </>
  );
}

/** Today's occupied and vacant units from `GET …/occupancy` (derived from leases). */
function BuildingOccupancy({ buildingId }: { buildingId: string }) {
  const { orgId, org } = useOrg();
  const today = todayIn(org.timezone);
  const q = useQuery({
    queryKey: [...occupancyKey(orgId), today],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/occupancy', { orgId }, { date: today }, { signal }),
  });
  if (q.isPending) return <span className="muted">Loading…</span>;
  if (q.error) return <span className="muted">Not available</span>;
  const b = q.data.buildings.find((x) => x.buildingId === buildingId);
  if (!b || b.units === 0) return <span className="muted">No units</span>;
  return (
    <span>
      {b.occupied} of {b.units} units occupied, {b.vacant} vacant
    </span>
  );
}
