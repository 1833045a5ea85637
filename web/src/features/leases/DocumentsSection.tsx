/** The lease's documents: the shared documents section for the subject `lease`, with expiries. */
import { DocumentsSection as SubjectDocuments } from '@/components/DocumentsSection';

export { contentTypeOf, uploadErrorText } from '@/components/DocumentsSection';

export function DocumentsSection({ leaseId }: { leaseId: string }) {
  return <SubjectDocuments subject={{ type: 'lease', id: leaseId }} caption="Lease documents" expiry />;
}
