// jest 29 ignores `testTimeout` inside a project: the e2e project sets it here instead
// (builds, a browser and child processes take minutes, not the 30 s unit default).
jest.setTimeout(300_000);
