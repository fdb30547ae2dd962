import type { Team } from '../../api/queries';
import { formatNumber } from '../../components/common';

export const modeLabel = { LIMITED: 'Credit limit', SHARED_POOL: 'Shared pool' } as const;
export const periodLabel = { NONE: 'No reset', MONTHLY: 'Monthly' } as const;

export function budgetSummary(team: Pick<Team, 'budget'>): string {
  const b = team.budget;
  return b.mode === 'SHARED_POOL'
    ? 'Shared pool (the organization\u2019s credits, no team limit)'
    : `Limit ${formatNumber(b.limit)} credits${b.period === 'MONTHLY' ? ' a month' : ''}`;
}

/** A whole number of credits from what was typed, or an error message. */
export function parseCredits(text: string): { value?: number; error?: string } {
  const t = text.replace(/[,\s]/g, '');
  if (!/^\d+$/.test(t)) return { error: 'Enter a whole number of credits (0 or more).' };
  const value = Number(t);
  if (value > 1_000_000_000_000) return { error: 'At most 1,000,000,000,000 credits.' };
  return { value };
}
