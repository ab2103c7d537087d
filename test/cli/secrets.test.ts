/** `check` and `explain` keep password hashes and debconf password answers out of their output unless --show-secrets. */
import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

const HASH = "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/";
const ANSWER = "hunter2-debconf";

/** Each secret shares its line with a mistake, so the mistake's excerpt would print it. */
const policy = `set users user alice { password = "${HASH}"  sudo = maybe }
set apt package mysql-server {
  debconf {
    "mysql-server/root_password" { type = password  answer = "${ANSWER}" }
    "mysql-server/note" { type = string  answer = "visible answer" }
  }
}
set apt packagez = 1
`;

const clean = `set users user alice { password = "${HASH}" }
set users user bob { password = "*" }
set apt package mysql-server {
  debconf {
    "mysql-server/root_password" { type = password  answer = "${ANSWER}" }
    "mysql-server/note" { type = string  answer = "visible answer" }
  }
}
`;

describe("secrets in check and explain", () => {
  it("check masks them in its excerpts, keeping the excerpt's shape, and shows them with --show-secrets", async () => {
    const r = await cli(["check", "p.dbell"], { "p.dbell": policy });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[DB2007]");
    expect(r.stderr).not.toContain(HASH);
    expect(r.stderr).toContain(`password = "${"*".repeat(HASH.length)}"  sudo = maybe`);
    expect(r.stderr).toMatch(/ {2}\^{5}\n/);
    const shown = await cli(["check", "--show-secrets", "p.dbell"], { "p.dbell": policy });
    expect(shown.stderr).toContain(HASH);
  });

  it("check masks them in JSON output too", async () => {
    const r = await cli(["check", "--format", "json", "p.dbell"], { "p.dbell": policy });
    expect(r.stdout).not.toContain(HASH);
    expect(r.stdout).not.toContain(ANSWER);
  });

  it("explain prints <redacted> for a password hash and a password answer, and other values as they are", async () => {
    for (const format of ["human", "json"]) {
      const r = await cli(["explain", "p.dbell", "--host", "n1", "--format", format], { "p.dbell": clean });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(HASH);
      expect(r.stdout).not.toContain(ANSWER);
      expect(r.stdout).toContain("<redacted>");
      expect(r.stdout).toContain("visible answer");
      const shown = await cli(["explain", "p.dbell", "--host", "n1", "--format", format, "--show-secrets"], { "p.dbell": clean });
      expect(shown.stdout).toContain(HASH);
      expect(shown.stdout).toContain(ANSWER);
    }
    const r = await cli(["explain", "p.dbell", "--host", "n1"], { "p.dbell": clean });
    expect(r.stdout).toMatch(/user alice password = "<redacted>" /);
    expect(r.stdout).toMatch(/user bob password = \* /);
  });

  it("explain masks them in the errors it prints", async () => {
    const r = await cli(["explain", "p.dbell", "--host", "n1"], { "p.dbell": policy });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain(HASH);
    expect(r.stderr).toContain("*".repeat(HASH.length));
  });
});
