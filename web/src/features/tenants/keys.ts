/** Query keys of the tenant screens (under `['orgs', orgId, 'tenants']`). */
export const tenantsKey = (orgId: string) => ['orgs', orgId, 'tenants'] as const;
export const tenantsPagedKey = (orgId: string) => ['orgs', orgId, 'tenants', 'paged'] as const;
export const tenantKey = (orgId: string, tenantId: string) => ['orgs', orgId, 'tenants', tenantId] as const;
