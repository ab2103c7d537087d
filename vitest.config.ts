import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 600_000,
    pool: "forks",
    // As root on a fresh machine, installs the host packages the e2e and shellcheck tests need (says which); then
    // bundles the CLI once for the tests that spawn it.
    globalSetup: ["test/e2e/support/provision.ts", "test/support/build-cli.ts"],
  },
});
