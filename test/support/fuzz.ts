/**
 * How many cases each fuzz property runs: a small fixed budget by default (CI), more on demand
 * with `FUZZ_RUNS=N` (e.g. `FUZZ_RUNS=20000 npx jest fuzz`). A test knob, read here only.
 */
export function fuzzRuns(ciDefault: number): number {
  const given = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(given) && given > 0 ? given : ciDefault;
}
