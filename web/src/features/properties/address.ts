import type { Schemas } from '@/api/client';

/** One line: `1 Maple St, Apt 2, Springfield, IL 12345, US`. */
export function formatAddress(a: Schemas['Address']): string {
  const cityLine = [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.line1, a.line2, cityLine, a.country].filter(Boolean).join(', ');
}
