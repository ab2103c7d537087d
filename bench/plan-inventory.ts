/**
 * Generates node inventories exactly as `kubectl get nodes -o json` (or `-o yaml`) prints them for a kubeadm cluster
 * of Debian nodes: a `List` of `Node`s, keys sorted, four-space indentation, with the standard `kubernetes.io/*`,
 * `topology.kubernetes.io/*` and `node-role.kubernetes.io/*` labels and the usual spec/status noise (taints,
 * addresses, capacity, conditions, images, nodeInfo). Deterministic: the same options give the same bytes.
 *
 * The fleet matches examples/site.dbell: three control-plane nodes, `gateway-01`, storage nodes
 * (`node-role.kubernetes.io/storage=true`), packet-processing workers (`compute_type=dpdk|sriov`), racks of 40 nodes
 * (`rack=r01`...), optionally Windows nodes (which the pods' `kubernetes.io/os: linux` selector leaves out).
 */
import yaml from "js-yaml";

export interface InventoryOptions {
  readonly nodes: number;
  /** Windows nodes among them (default 0). */
  readonly windows?: number;
  readonly seed?: number;
}

/** A small fast PRNG (mulberry32), so inventories are reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export function nodeNames(options: InventoryOptions): string[] {
  return inventoryNodes(options).map((n) => ((n["metadata"] as Record<string, Json>)["name"] as string));
}

export function inventoryNodes(options: InventoryOptions): Record<string, Json>[] {
  const rnd = random(options.seed ?? 7);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const windows = options.windows ?? 0;
  const out: Record<string, Json>[] = [];
  for (let i = 0; i < options.nodes; i++) {
    const control = i < Math.min(3, options.nodes);
    const win = !control && i >= options.nodes - windows;
    const gateway = !control && !win && i === 3;
    const worker = i - 4;
    const name = control ? `control-0${i + 1}` : win ? `win-${String(options.nodes - i).padStart(3, "0")}` : gateway ? "gateway-01" : `worker-${String(worker + 1).padStart(4, "0")}`;
    const rack = `r${String(Math.floor(Math.max(0, i) / 40) + 1).padStart(2, "0")}`;
    const zone = `zone-${"abc"[Math.floor(i / 40) % 3]}`;
    const labels: Record<string, string> = {
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": win ? "windows" : "linux",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": name,
      "kubernetes.io/os": win ? "windows" : "linux",
      "node.kubernetes.io/instance-type": control ? "r650-control" : "r750-worker",
      rack,
      "topology.kubernetes.io/region": "fra1",
      "topology.kubernetes.io/zone": zone,
    };
    if (control) {
      labels["node-role.kubernetes.io/control-plane"] = "";
      labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
      // A single-node cluster runs its workloads on the control plane.
      if (options.nodes === 1) labels["node-role.kubernetes.io/worker"] = "";
    } else if (!gateway) {
      labels["node-role.kubernetes.io/worker"] = "";
      if (!win && worker % 10 === 9) labels["node-role.kubernetes.io/storage"] = "true";
      else if (!win && worker % 5 === 1) labels["compute_type"] = worker % 10 === 1 ? "dpdk" : "sriov";
    } else labels["node-role.kubernetes.io/gateway"] = "";
    const ip = `10.${20 + Math.floor(i / 62500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`;
    const cpu = control ? "32" : "64";
    const memory = control ? "263842412Ki" : "527685324Ki";
    const stamp = `2026-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:1${i % 6}:0${i % 10}Z`;
    const condition = (type: string, reason: string, message: string, status = "False") => ({
      lastHeartbeatTime: "2026-11-30T09:58:12Z",
      lastTransitionTime: stamp,
      message,
      reason,
      status,
      type,
    });
    out.push({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        annotations: {
          "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
          "node.alpha.kubernetes.io/ttl": "0",
          "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        },
        creationTimestamp: stamp,
        labels,
        name,
        resourceVersion: String(1_000_000 + Math.floor(rnd() * 9_000_000)),
        uid: uuid(),
      },
      spec: {
        podCIDR: `10.244.${i % 256}.0/24`,
        podCIDRs: [`10.244.${i % 256}.0/24`],
        ...(control ? { taints: [{ effect: "NoSchedule", key: "node-role.kubernetes.io/control-plane" }] } : {}),
      },
      status: {
        addresses: [
          { address: ip, type: "InternalIP" },
          { address: name, type: "Hostname" },
        ],
        allocatable: { cpu, "ephemeral-storage": "846779284189", "hugepages-1Gi": "0", "hugepages-2Mi": labels["compute_type"] ? "2Gi" : "0", memory, pods: "110" },
        capacity: { cpu, "ephemeral-storage": "918817788Ki", "hugepages-1Gi": "0", "hugepages-2Mi": labels["compute_type"] ? "2Gi" : "0", memory, pods: "110" },
        conditions: [
          condition("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
          condition("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
          condition("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
          condition("Ready", "KubeletReady", "kubelet is posting ready status", "True"),
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        images: [
          { names: [`registry.k8s.io/kube-proxy@sha256:${hex(64)}`, "registry.k8s.io/kube-proxy:v1.31.4"], sizeBytes: 30230147 },
          { names: [`docker.io/library/ubuntu@sha256:${hex(64)}`, "docker.io/library/ubuntu:24.04"], sizeBytes: 29754422 },
          { names: [`registry.k8s.io/pause@sha256:${hex(64)}`, "registry.k8s.io/pause:3.10"], sizeBytes: 320368 },
        ],
        nodeInfo: {
          architecture: "amd64",
          bootID: uuid(),
          containerRuntimeVersion: win ? "containerd://1.7.24" : "containerd://1.7.24",
          kernelVersion: win ? "10.0.20348.2849" : "6.1.0-28-amd64",
          kubeProxyVersion: "v1.31.4",
          kubeletVersion: "v1.31.4",
          machineID: hex(32),
          operatingSystem: win ? "windows" : "linux",
          osImage: win ? "Windows Server 2022 Datacenter" : "Debian GNU/Linux 12 (bookworm)",
          systemUUID: uuid(),
        },
      },
    });
  }
  return out;
}

/** The `List` kubectl prints. */
export function inventoryList(options: InventoryOptions): Record<string, Json> {
  return { apiVersion: "v1", items: inventoryNodes(options), kind: "List", metadata: { resourceVersion: "" } };
}

/** `kubectl get nodes -o json`: keys sorted, four spaces, a final newline. */
export function inventoryJson(options: InventoryOptions): string {
  return JSON.stringify(sortKeys(inventoryList(options)), null, 4) + "\n";
}

/** `kubectl get nodes -o yaml`: keys sorted, ambiguous strings double-quoted. */
export function inventoryYaml(options: InventoryOptions): string {
  return yaml.dump(inventoryList(options), { sortKeys: true, lineWidth: -1, quotingType: '"', noCompatMode: false });
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k]!)]));
  return v;
}
