/** "Deposit instalments" as typed on the lease forms: optional, a whole number from 1 to 12, and only with a deposit. */
export const MAX_INSTALMENTS = 12;

/** The number typed, or null when empty or not a whole number from 1 to 12. */
export function parseInstalments(typed: string): number | null {
  const s = typed.trim();
  if (!/^\d{1,2}$/.test(s)) return null;
  const n = Number.parseInt(s, 10);
  return n >= 1 && n <= MAX_INSTALMENTS ? n : null;
}

/** `null` when fine (empty is fine), else the message to show. */
export function instalmentsProblem(typed: string, deposit: string): string | null {
  if (!typed.trim()) return null;
  if (parseInstalments(typed) === null) return `Enter a number of instalments from 1 to ${MAX_INSTALMENTS}, or leave it empty.`;
  if (!deposit.trim()) return 'Enter a deposit first, or leave this empty.';
  return null;
}

export const INSTALMENTS_HINT = 'Optional, with a deposit: charge it in this many monthly instalments (the first at the start, the others with the next rents). Empty: at once.';
