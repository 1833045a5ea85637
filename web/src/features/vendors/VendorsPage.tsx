import { PageHeader } from '@/components/Page';

export default function VendorsPage() {
  return <PageHeader title="Vendors" />;
}
