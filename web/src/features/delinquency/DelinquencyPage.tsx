import { PageHeader } from '@/components/Page';

export default function DelinquencyPage() {
  return <PageHeader title="Delinquency" />;
}
