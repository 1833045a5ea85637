import { PageHeader } from '@/components/Page';

export default function ExpensesPage() {
  return <PageHeader title="Expenses" />;
}
