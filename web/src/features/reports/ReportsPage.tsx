import { PageHeader } from '@/components/Page';

export default function ReportsPage() {
  return <PageHeader title="Reports" />;
}
