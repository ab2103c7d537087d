# ---- entry: what the DaemonSet's container runs; assembles the host script, puts it on the node and runs it there ----
# The generated header sets DBELL_MODULE, DBELL_HOST_SCRIPT (the program's key in /dbell/program and part of the name
# of the node's copy), DBELL_RUNNER (chroot or nsenter) and DBELL_LOOP_SECONDS (0: run once, then sleep). The node's /
# is mounted at /mnt; /dbell/program holds the module's program ConfigMap (this entry script and the program),
# /dbell/settings the configuration's settings object. Program then settings is the host script, as `dbellc script`
# prints it.
set -o errexit -o nounset -o pipefail
# Every file this script writes (the host script, its copy on the node) is readable by root alone: the settings may
# come from a Secret.
umask 077

log() {
  printf '%s %s %s\n' "$(date '+%m-%d-%y %H:%M:%S')" "$1" "$2"
}

# Stop at once when the pod is deleted; as PID 1 the shell would otherwise ignore SIGTERM until the grace period ends.
trap 'exit 0' TERM INT

# The readinessProbe tests this marker: the pod is Ready only after a run succeeded, and stops being Ready when a
# run starts, so `kubectl rollout status` counts nodes that applied the configuration.
READY=/tmp/dbell-ready
rm -f "$READY"

# The host script is assembled once, so every run of a looping module uses the same text, even while the kubelet
# updates the mounted files (the pod is replaced when its configuration changes).
HOST_SCRIPT=/tmp/dbell-host-script.sh
cat "/dbell/program/$DBELL_HOST_SCRIPT" /dbell/settings/settings.sh >"$HOST_SCRIPT"

# run_host_script: copies the host script to a fresh private file in the node's /tmp and runs it as the node's root.
# bash reads the file, so a node whose /tmp is mounted noexec works too.
run_host_script() {
  local file status=0
  rm -f "$READY"
  file=$(mktemp "/mnt/tmp/dbell.$DBELL_HOST_SCRIPT.XXXXXX")
  cat "$HOST_SCRIPT" >"$file"
  case $DBELL_RUNNER in
    chroot) chroot /mnt /bin/bash "/tmp/${file##*/}" || status=$? ;;
    nsenter) nsenter -t 1 -m -u -n -i -p -- /bin/bash "/tmp/${file##*/}" || status=$? ;;
    *) status=2 ;;
  esac
  rm -f "$file"
  if [ "$status" -ne 0 ]; then
    log ERROR "$DBELL_MODULE: host script failed with status $status"
    exit "$status"
  fi
  : >"$READY"
}

sleep_for() {
  sleep "$1" &
  wait "$!"
}

if [ "$DBELL_LOOP_SECONDS" -gt 0 ]; then
  while true; do
    run_host_script
    log INFO "Putting the daemon to sleep for $DBELL_LOOP_SECONDS seconds."
    sleep_for "$DBELL_LOOP_SECONDS"
  done
fi

run_host_script
log INFO "Putting the daemon to sleep."
while true; do
  sleep_for 300
done
