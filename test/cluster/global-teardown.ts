/** Jest global teardown of the "cluster" project: stops the API server and etcd and removes their files. */
export default async function teardown(): Promise<void> {
  await globalThis.__BASELINE_CLUSTER__?.stop();
  globalThis.__BASELINE_CLUSTER__ = undefined;
}
