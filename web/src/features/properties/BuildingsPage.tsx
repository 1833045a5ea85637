import { PageHeader } from '@/components/Page';

export default function BuildingsPage() {
  return <PageHeader title="Buildings" />;
}
