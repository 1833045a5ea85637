import { PageHeader } from '@/components/Page';

export default function TenantsPage() {
  return <PageHeader title="Tenants" />;
}
