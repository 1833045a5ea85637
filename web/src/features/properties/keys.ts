/** Query keys of the properties screens (all under `['orgs', orgId, 'buildings']` so one invalidation covers them). */
export const buildingsKey = (orgId: string) => ['orgs', orgId, 'buildings'] as const;
export const buildingsPagedKey = (orgId: string) => ['orgs', orgId, 'buildings', 'paged'] as const;
export const buildingKey = (orgId: string, buildingId: string) => ['orgs', orgId, 'buildings', buildingId] as const;
export const unitsPagedKey = (orgId: string, buildingId: string) => ['orgs', orgId, 'buildings', buildingId, 'units', 'paged'] as const;
export const occupancyKey = (orgId: string) => ['orgs', orgId, 'occupancy'] as const;
/** One unit as `GET …/units/{unitId}` answers it (other screens read unit labels under this key). */
export const unitKey = (orgId: string, unitId: string) => ['orgs', orgId, 'units', unitId] as const;
