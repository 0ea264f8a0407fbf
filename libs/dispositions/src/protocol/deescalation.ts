/**
 * De-escalation guidance (protocol 000) shown when a red flag or hot call is marked. The
 * defaults are data (deescalation.json); a practice stores its own copy.
 */
import rawGuide from './deescalation.json';

export interface DeescalationGuide {
  strategies: { name: string; say: string }[];
  situations: { name: string; actions: string[] }[];
  reminder: string;
}

export const DEFAULT_DEESCALATION: DeescalationGuide = Object.freeze(rawGuide) as DeescalationGuide;

const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/** A practice's guide as sent: every strategy and situation named, actions listed, sizes bounded. */
export function parseDeescalationGuide(
  input: unknown,
): { ok: true; guide: DeescalationGuide } | { ok: false; field: string; message: string } {
  const g = input as Partial<DeescalationGuide> | null;
  if (!g || typeof g !== 'object') return { ok: false, field: 'guide', message: 'guide: an object' };
  if (!Array.isArray(g.strategies) || g.strategies.length > 20) {
    return { ok: false, field: 'strategies', message: 'strategies: a list of up to 20' };
  }
  for (const [i, s] of g.strategies.entries()) {
    if (!text(s?.name, 100) || !text(s?.say, 1000)) {
      return { ok: false, field: `strategies.${i}`, message: `strategies.${i}: a name and what to do` };
    }
  }
  if (!Array.isArray(g.situations) || g.situations.length > 20) {
    return { ok: false, field: 'situations', message: 'situations: a list of up to 20' };
  }
  for (const [i, s] of g.situations.entries()) {
    if (
      !text(s?.name, 100) ||
      !Array.isArray(s.actions) ||
      s.actions.length > 20 ||
      !s.actions.every((a) => text(a, 1000))
    ) {
      return { ok: false, field: `situations.${i}`, message: `situations.${i}: a name and up to 20 actions` };
    }
  }
  const reminder = g.reminder ?? '';
  if (typeof reminder !== 'string' || reminder.length > 2000) {
    return { ok: false, field: 'reminder', message: 'reminder: text up to 2000 characters' };
  }
  return {
    ok: true,
    guide: {
      strategies: g.strategies.map((s) => ({ name: s.name.trim(), say: s.say.trim() })),
      situations: g.situations.map((s) => ({ name: s.name.trim(), actions: s.actions.map((a) => a.trim()) })),
      reminder: reminder.trim(),
    },
  };
}
