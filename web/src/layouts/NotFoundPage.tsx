import { NotFoundPanel } from './OrgLayout';

export default function NotFoundPage() {
  return <NotFoundPanel />;
}
