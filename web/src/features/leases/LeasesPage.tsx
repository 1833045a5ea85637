import { PageHeader } from '@/components/Page';

export default function LeasesPage() {
  return <PageHeader title="Leases" />;
}
