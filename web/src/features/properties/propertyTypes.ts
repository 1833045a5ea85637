/** Schedule E line 1b property types, as the API codes them (1–8). */
export const PROPERTY_TYPES: { code: number; label: string }[] = [
  { code: 1, label: 'Single family residence' },
  { code: 2, label: 'Multi-family residence' },
  { code: 3, label: 'Vacation or short-term rental' },
  { code: 4, label: 'Commercial' },
  { code: 5, label: 'Land' },
  { code: 6, label: 'Royalties' },
  { code: 7, label: 'Self-rental' },
  { code: 8, label: 'Other' },
];

export function propertyTypeLabel(code: number | null | undefined): string {
  if (code === null || code === undefined) return '—';
  const t = PROPERTY_TYPES.find((p) => p.code === code);
  return t ? `${code} · ${t.label}` : String(code);
}
