import { PageHeader } from '@/components/Page';

export default function ObligationsPage() {
  return <PageHeader title="Obligations" />;
}
