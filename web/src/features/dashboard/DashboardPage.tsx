import { PageHeader } from '@/components/Page';

export default function DashboardPage() {
  return <PageHeader title="Dashboard" />;
}
