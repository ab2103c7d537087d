/**
 * Names the generating kernel (a minimal VM kernel, see sysctl-catalogue.generated.ts) lacks but stock distribution
 * kernels have, from features it was built without: module loading, Yama, AppArmor, distribution patches. Without
 * them, common hardening settings would draw an unknown-name warning. Same format as the generated catalogue.
 */
export const EXTRA_CATALOGUE = `
kernel.modprobe text
kernel.modules_disabled int
kernel.unprivileged_userns_clone int
kernel.unprivileged_userns_apparmor_policy int
kernel.apparmor_restrict_unprivileged_userns int
kernel.apparmor_restrict_unprivileged_unconfined int
kernel.yama.ptrace_scope int
`;
