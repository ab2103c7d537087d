/**
 * The real entry script in the pod emulation on a booted node: it assembles the host script from the compiled
 * program ConfigMap and settings object (mounted at /dbell/program and /dbell/settings as the DaemonSet mounts them),
 * runs it on the node, and the DaemonSet's readinessProbe command turns true only after a successful run, never for
 * a failing one. The pod's copies of the host script are private (0600).
 */
import yaml from "js-yaml";
import { afterAll, beforeAll, expect, test } from "vitest";
import { analyze, compileManifests } from "../../../src/compile.js";
import { manifestStream } from "../../../src/backends/k8s/manifests.js";
import { hardening } from "../../../src/backends/k8s/pod.js";
import { READINESS_COMMAND } from "../../../src/backends/k8s/entry-script.js";
import { moduleNamed } from "../../../src/modules/registry.js";
import { daemonSetsFor, podFiles, type K8sObject } from "../../support/pod-view.js";
import { bootNode, describeE2E, showRun, type Node } from "./node.js";

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The probe's exec command as the kubelet runs it: in the container (the entry script's mount namespace). */
const PROBE = READINESS_COMMAND.map(q).join(" ");

/**
 * Writes the files of the DaemonSet's volumes into the node, starts the entry script as the pod's PID 1 would run
 * (private mount namespace, node / at /mnt, tmpfs /tmp, the volumes at /dbell/*, the container's capabilities and
 * no_new_privs), probes readiness every 0.1 s until it exits or `seconds` pass, and prints a report.
 */
function podRun(seconds: number, caps: readonly string[], nnp: boolean): string {
  const bounding = ["-all", ...caps.map((c) => `+${c.toLowerCase()}`)].join(",");
  return `
set -u
mkdir -p /dbell
unshare -m --propagation slave --fork sh -c '
  mount --rbind / /mnt && mount --make-rslave /mnt || exit 125
  mount -t tmpfs -o mode=1777 pod-tmp /tmp
  mount -t tmpfs dbell /dbell && mkdir /dbell/program /dbell/settings
  cp -a /run/dbell-pod/program/. /dbell/program/ && cp -a /run/dbell-pod/settings/. /dbell/settings/
  exec setpriv --inh-caps=-all --bounding-set=${bounding} ${nnp ? "--no-new-privs" : ""} -- /bin/bash /dbell/program/entry.sh
' >/run/dbell-pod/log 2>&1 &
upid=$!
for _ in $(seq 50); do pid=$(pgrep -P "$upid" | head -1); [ -n "$pid" ] && break; sleep 0.1; done
ready=never mode=none
for _ in $(seq ${seconds * 10}); do
  kill -0 "$upid" 2>/dev/null || break
  if nsenter -t "$pid" -m ${PROBE} 2>/dev/null; then
    ready=yes
    mode=$(nsenter -t "$pid" -m stat -c %a /tmp/dbell-host-script.sh)
    break
  fi
  sleep 0.1
done
if kill -0 "$upid" 2>/dev/null; then status=running; kill "$upid"; else wait "$upid"; status=$?; fi
echo "ready=$ready mode=$mode status=$status"
cat /run/dbell-pod/log
`;
}

describeE2E("entry script in a pod on a node", () => {
  let node: Node;
  beforeAll(async () => {
    node = await bootNode();
  });
  afterAll(async () => {
    await node?.stop();
  });

  /** Compiles `policy`, puts the files of the sysctl DaemonSet scheduled onto the node where the pod mounts them. */
  async function stage(policy: string): Promise<void> {
    const a = analyze([{ file: "p.dbell", text: policy }]);
    expect(a.ok).toBe(true);
    const objects = yaml.loadAll(manifestStream(compileManifests(a))) as K8sObject[];
    const [ds] = daemonSetsFor(objects, "sysctl", { hostname: node.name, labels: new Map() });
    const { program, settings } = podFiles(objects, ds!);
    await node.shOk("rm -rf /run/dbell-pod && mkdir -p /run/dbell-pod/program /run/dbell-pod/settings");
    for (const [k, v] of Object.entries(program.data!)) await node.writeFile(`/run/dbell-pod/program/${k}`, v, "0400");
    for (const [k, v] of Object.entries(settings.data!)) await node.writeFile(`/run/dbell-pod/settings/${k}`, v, "0400");
  }

  const h = hardening(moduleNamed("sysctl")!);

  test("is Ready only after the host script succeeded, and keeps the host script private", async () => {
    await node.shOk("sysctl -q -w net.ipv4.ip_forward=0");
    await stage("set sysctl net.ipv4.ip_forward = 1\n");
    const r = await node.sh(podRun(30, h.capabilities!, h.noNewPrivileges));
    expect(r.stdout, showRun(r)).toMatch(/^ready=yes mode=600 status=running\n/);
    expect(r.stdout).toContain("INFO Putting the daemon to sleep.");
    expect((await node.shOk("sysctl -n net.ipv4.ip_forward")).trim()).toBe("1");
  });

  test("is never Ready when the host script fails, and exits with its status", async () => {
    await stage("set sysctl net.ipv4.no_such_tunable = 1\n");
    const r = await node.sh(podRun(30, h.capabilities!, h.noNewPrivileges));
    expect(r.stdout, showRun(r)).toMatch(/^ready=never mode=none status=1\n/);
    expect(r.stdout).toMatch(/ ERROR sysctl: host script failed with status 1\n/);
  });
});
