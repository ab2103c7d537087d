# ---- entry: what the DaemonSet's container runs; puts the host script on the node and runs it there ----
# The generated header sets DBELL_MODULE, DBELL_HOST_SCRIPT (the host script's name in /dbell and part of the name
# of the node's copy), DBELL_RUNNER (chroot or nsenter) and DBELL_LOOP_SECONDS (0: run once, then sleep). The node's /
# is mounted at /mnt; /dbell holds the variant's Secret: this entry script and the host script, as `dbellc script`
# prints it.
set -o errexit -o nounset -o pipefail

log() {
  printf '%s %s %s\n' "$(date '+%m-%d-%y %H:%M:%S')" "$1" "$2"
}

# Stop at once when the pod is deleted; as PID 1 the shell would otherwise ignore SIGTERM until the grace period ends.
trap 'exit 0' TERM INT

# The host script is read once, so every run of a looping module uses the same text, even while the kubelet updates
# the Secret's files (the pod is replaced when they change).
HOST_SCRIPT=/tmp/dbell-host-script.sh
cat "/dbell/$DBELL_HOST_SCRIPT" >"$HOST_SCRIPT"

# run_host_script: copies the host script to a fresh private file in the node's /tmp and runs it as the node's root.
# bash reads the file, so a node whose /tmp is mounted noexec works too.
run_host_script() {
  local file status=0
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
