/**
 * Optional HTTP path from a node to the Debian mirror, for apt tests. The node keeps its private network; an extra veth
 * links it to the host, where socat forwards port 80 to deb.debian.org, and the node's /etc/hosts points the mirror's
 * name at that forwarder. Each node gets its own /30 in 10.213.0.0/16, so parallel nodes do not collide.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { onPath, run, runOk, sleep } from "./process.js";

const MIRROR_HOST = "deb.debian.org";

export interface Mirror {
  /** systemd-nspawn arguments (instead of a bare --private-network). */
  readonly nspawnArgs: readonly string[];
  /** Shell lines run inside the node after boot. */
  readonly nodeSetup: readonly string[];
  /** Configures the host side once the node is up (the veth exists only then). */
  attach(cgroupDirs: readonly string[]): Promise<void>;
  stop(): void;
}

export function planMirror(id: string): Mirror {
  const h = createHash("sha256").update(id).digest();
  const slot = h.readUInt16BE(0) & 0x3fff;
  const net = `10.213.${slot >> 6}.${(slot & 63) * 4}`.split(".").map(Number);
  const ip = (last: number): string => `${net[0]}.${net[1]}.${net[2]}.${net[3]! + last}`;
  const hostIf = `dbm${h.toString("hex").slice(0, 10)}`;
  let socat: ChildProcess | undefined;
  return {
    nspawnArgs: ["--private-network", `--network-veth-extra=${hostIf}:host0`],
    nodeSetup: [
      `ip addr add ${ip(2)}/30 dev host0`,
      "ip link set host0 up",
      `printf '%s\\t%s\\n' ${ip(1)} ${MIRROR_HOST} >>/etc/hosts`,
    ],
    async attach(cgroupDirs) {
      if (!onPath("socat")) throw new Error("a node with `mirror: true` needs socat on this machine (run .ci/install-host-deps.sh)");
      await runOk("ip", ["addr", "add", `${ip(1)}/30`, "dev", hostIf]);
      await runOk("ip", ["link", "set", hostIf, "up"]);
      // In the node's cgroups, so the node's watchdog also ends the forwarder if the test process dies.
      socat = spawn("sh", ["-c", 'for d in $0; do echo $$ >"$d/cgroup.procs"; done; exec socat "$@"', cgroupDirs.join(" "),
        `TCP-LISTEN:80,bind=${ip(1)},fork,reuseaddr`, `TCP:${MIRROR_HOST}:80`], { stdio: "ignore" });
      socat.on("error", () => undefined);
      for (let i = 0; i < 100; i++) {
        if ((await run("ss", ["-Hltn", "src", `${ip(1)}:80`])).stdout.trim()) return;
        await sleep(20);
      }
      throw new Error(`the mirror forwarder on ${ip(1)}:80 did not start`);
    },
    stop() {
      socat?.kill("SIGKILL");
    },
  };
}
