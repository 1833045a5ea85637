import { PageHeader } from '@/components/Page';

export default function BooksPage() {
  return <PageHeader title="Books" />;
}
