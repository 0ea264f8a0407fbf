/**
 * Whether a member's promised callback is due for this agent now: its promising agent's from
 * the promised time on; once it is `fallbackHours` late it falls to the pool, and whoever holds
 * the member's assignment sees it as a callback too.
 */
export function callbackDueFor(
  callback: { at: Date | null; agentId: string | null },
  agentId: string,
  now: Date,
  fallbackHours: number,
): boolean {
  if (callback.at === null) return false;
  const at = callback.at.getTime();
  const t = now.getTime();
  return at <= t && (callback.agentId === agentId || at + fallbackHours * 3_600_000 <= t);
}
