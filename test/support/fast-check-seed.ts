import fc from 'fast-check';

/**
 * Property tests explore new random cases on every local run; under CI they replay one fixed
 * seed, so a red build always means a change broke something, not that a new case was drawn.
 * (A failure prints its seed and path: `fc.assert(…, { seed, path })` replays it.)
 */
if (process.env.CI === 'true') fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20261123 });
