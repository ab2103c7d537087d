/**
 * The feature names `ethtool -k` prints (ethtool 6.1 on Linux 6.x, plus a few older ones), for "did you mean".
 * Drivers and newer kernels add names, so a name missing here is only a warning; the host script checks for real.
 */
export const KNOWN_FEATURES: readonly string[] = [
  "rx-checksumming", "tx-checksumming", "tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6",
  "tx-checksum-fcoe-crc", "tx-checksum-sctp", "scatter-gather", "tx-scatter-gather", "tx-scatter-gather-fraglist",
  "tcp-segmentation-offload", "tx-tcp-segmentation", "tx-tcp-ecn-segmentation", "tx-tcp-mangleid-segmentation",
  "tx-tcp6-segmentation", "tx-tcp-accecn-segmentation", "udp-fragmentation-offload", "generic-segmentation-offload",
  "generic-receive-offload", "large-receive-offload", "rx-vlan-offload", "tx-vlan-offload", "ntuple-filters",
  "receive-hashing", "highdma", "rx-vlan-filter", "vlan-challenged", "tx-lockless", "netns-local", "tx-gso-robust",
  "tx-fcoe-segmentation", "tx-gre-segmentation", "tx-gre-csum-segmentation", "tx-ipxip4-segmentation",
  "tx-ipxip6-segmentation", "tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation", "tx-gso-partial",
  "tx-tunnel-remcsum-segmentation", "tx-sctp-segmentation", "tx-esp-segmentation", "tx-udp-segmentation",
  "tx-gso-list", "fcoe-mtu", "tx-nocache-copy", "loopback", "rx-fcs", "rx-all", "tx-vlan-stag-hw-insert",
  "rx-vlan-stag-hw-parse", "rx-vlan-stag-filter", "l2-fwd-offload", "busy-poll", "hw-tc-offload", "esp-hw-offload",
  "esp-tx-csum-hw-offload", "rx-udp_tunnel-port-offload", "tls-hw-tx-offload", "tls-hw-rx-offload", "rx-gro-hw",
  "tls-hw-record", "rx-gro-list", "macsec-hw-offload", "rx-udp-gro-forwarding", "hsr-tag-ins-offload",
  "hsr-tag-rm-offload", "hsr-fwd-offload", "hsr-dup-offload",
];

/**
 * Names `ethtool -K` takes but `ethtool -k` never prints (its short names, and kernel names), with the name it prints.
 * Policies may use them; the compiler hands the node the printed name.
 */
export const OTHER_NAMES: ReadonlyMap<string, string> = new Map([
  ["rx", "rx-checksumming"],
  ["tx", "tx-checksumming"],
  ["sg", "scatter-gather"],
  ["tso", "tcp-segmentation-offload"],
  ["ufo", "udp-fragmentation-offload"],
  ["gso", "generic-segmentation-offload"],
  ["gro", "generic-receive-offload"],
  ["lro", "large-receive-offload"],
  ["rxvlan", "rx-vlan-offload"],
  ["txvlan", "tx-vlan-offload"],
  ["ntuple", "ntuple-filters"],
  ["rxhash", "receive-hashing"],
  ["rx-checksum", "rx-checksumming"],
  ["rx-gro", "generic-receive-offload"],
  ["rx-lro", "large-receive-offload"],
  ["tx-generic-segmentation", "generic-segmentation-offload"],
  ["rx-hashing", "receive-hashing"],
  ["rx-ntuple-filter", "ntuple-filters"],
  ["rx-vlan-hw-parse", "rx-vlan-offload"],
  ["tx-vlan-hw-insert", "tx-vlan-offload"],
]);
