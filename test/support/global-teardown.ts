export default async function globalTeardown(): Promise<void> {
  await globalThis.__RECALL_TEST_PG__?.stop();
}
