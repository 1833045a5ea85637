import { PageHeader } from '@/components/Page';

export default function SettingsPage() {
  return <PageHeader title="Settings" />;
}
