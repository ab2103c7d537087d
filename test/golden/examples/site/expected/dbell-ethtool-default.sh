#!/bin/bash
# dbellc host script for module ethtool. Generated; do not edit.
# ---- prelude: logging, failure handling and state helpers shared by every dbellc host script ----
set -o errexit -o nounset -o pipefail -o errtrace
umask 022
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DBELL_CHANGES=0
DBELL_FAILED=()
DBELL_LOCK_FD=
UNIT_NAMES=()
UNIT_ACTIVE=()
UNIT_ENABLED=()

# log LEVEL MESSAGE...: one line `MM-DD-YY HH:MM:SS LEVEL message`; ERROR goes to stderr.
log() {
  local level=$1
  shift
  # bash formats the time itself (%(...)T): no `date` process per line, which counts when a run logs thousands.
  if [ "$level" = ERROR ]; then
    printf '%(%m-%d-%y %H:%M:%S)T %s %s\n' -1 "$level" "$*" >&2
  else
    printf '%(%m-%d-%y %H:%M:%S)T %s %s\n' -1 "$level" "$*"
  fi
}
log_info() { log INFO "$@"; }
log_warn() { log WARN "$@"; }
log_error() { log ERROR "$@"; }

# die MESSAGE: logs an ERROR line naming the cause and exits 1.
die() {
  trap - ERR
  log ERROR "$*"
  exit 1
}
trap 'die "command failed with status $? (line $LINENO): $BASH_COMMAND"' ERR

# changed MESSAGE: logs a change to the node and counts it.
changed() {
  DBELL_CHANGES=$((DBELL_CHANGES + 1))
  log INFO "$*"
}

# run CMD ARGS...: runs a command, logging each line it prints as INFO; returns its status.
run() {
  local out status=0
  out=$("$@" 2>&1) || status=$?
  if [ -n "$out" ]; then
    while IFS= read -r line; do log INFO "$line"; done <<<"$out"
  fi
  return "$status"
}

# failed WHAT MESSAGE: a failure that does not stop the run: logs MESSAGE as a WARN and names WHAT in the closing
# line, which is then an ERROR.
failed() {
  DBELL_FAILED+=("$1")
  shift
  log WARN "$*"
}

# module_lock MODULE: holds an exclusive lock on /run/lock/dbellc-MODULE.lock until the script exits, so that two
# runs of one module never interleave: the old and the new pod of a rollout, or a run by hand next to the pod. A run
# that finds the lock taken waits for the other run to end. /run is the node's tmpfs (the pods see it through their
# hostPath mount of /, which follows the node's mounts), so the lock is one file for a chrooted pod, an nsenter pod and
# a shell on the node, it leaves nothing in the node's state, and a reboot clears it.
module_lock() {
  mkdir -p /run/lock
  exec {DBELL_LOCK_FD}>>"/run/lock/dbellc-$1.lock" || die "cannot open /run/lock/dbellc-$1.lock"
  if ! flock --exclusive --nonblock "$DBELL_LOCK_FD"; then
    log INFO "$1: another run of this module is in progress on this node; waiting for it to end"
    flock --exclusive "$DBELL_LOCK_FD" || die "cannot lock /run/lock/dbellc-$1.lock"
  fi
}

# lock_drop: closes the lock's file descriptor in a child that may outlive the run (a background job, a script that
# starts a daemon), which would otherwise hold the lock after the run ends.
lock_drop() {
  if [ -n "$DBELL_LOCK_FD" ]; then
    exec {DBELL_LOCK_FD}>&-
    DBELL_LOCK_FD=
  fi
}

# write_test DIR: dies unless DIR is writable.
write_test() {
  local f
  # `exec`: the substitution's shell becomes mktemp instead of forking it (it stays for the ERR trap it inherits).
  f=$(exec mktemp "$1/.dbell-write-test.XXXXXX" 2>/dev/null) || die "Write test to $1 failed."
  rm -f "$f"
}

# state_dir MODULE: creates and prints /var/divingbell/MODULE (Divingbell's state layout).
state_dir() {
  mkdir -p "/var/divingbell/$1"
  write_test "/var/divingbell/$1"
  printf '%s' "/var/divingbell/$1"
}

# write_if_changed FILE CONTENT: writes CONTENT (plus a newline) to FILE if it differs; status 0 when it wrote.
write_if_changed() {
  if [ -f "$1" ] && file_text "$1" && [ "$FILE_TEXT" = "$2" ]; then
    return 1
  fi
  printf '%s\n' "$2" >"$1.dbell-tmp"
  mv -f "$1.dbell-tmp" "$1"
  return 0
}

# in_list WORD ITEM...: whether WORD is one of the ITEMs (a loop, not a process: callers ask once per state file).
in_list() {
  local want=$1 item
  shift
  for item in "$@"; do
    [ "$item" = "$want" ] && return 0
  done
  return 1
}

# unit_remove DIR UNIT: disables and deletes DIR/UNIT, a unit file of this module, and any enablement links of UNIT
# left in DIR (a unit file deleted by hand leaves them behind, and systemd would then still pull in a unit with no
# file); status 0 when there was a unit file. It does not stop the unit: whether a failed stop may be ignored is the
# module's call. No daemon-reload either (`--no-reload`): one reload follows all of a run's removals.
unit_remove() {
  local had=1 link
  if [ -f "$1/$2" ]; then
    run systemctl disable --no-reload "$2" || die "Cannot disable $2."
    rm -f "$1/$2"
    had=0
  fi
  for link in "$1"/*.wants/"$2" "$1"/*.requires/"$2"; do
    if [ -L "$link" ]; then rm -f "$link"; fi
  done
  return "$had"
}

# ---- prelude: files written whole (the text goes to a temporary file that is renamed into place, so a reader, or a
# run killed half-way, never leaves half a file) ----

# file_holds FILE TEXT: status 0 when FILE is a regular file holding exactly TEXT, final newlines included. Read by
# bash, no process. A NUL byte, which bash drops, is not seen: these are text files.
file_holds() {
  local text=''
  [ -f "$1" ] || return 1
  # -N: up to one byte more than TEXT (LC_ALL=C), so a longer file reads as different.
  { IFS= read -r -d '' -N "$((${#2} + 1))" text || :; } 2>/dev/null <"$1" || return 1
  [ "$text" = "$2" ]
}

# file_stage FILE TEXT MODE [TMP]: writes TEXT, exactly as given, with MODE to TMP (FILE.dbell-tmp unless given) and
# sets FILE_TMP to it, for a check of the new text before file_commit puts it in place.
file_stage() {
  FILE_TMP=${4:-"$1.dbell-tmp"}
  printf '%s' "$2" >"$FILE_TMP"
  chmod -- "$3" "$FILE_TMP"
}

# file_commit FILE: renames the staged FILE_TMP to FILE, in one step.
file_commit() {
  mv -f -- "$FILE_TMP" "$1"
}

# file_put FILE TEXT MODE: makes FILE hold exactly TEXT (no newline added), written whole with MODE; status 0 when it
# wrote, 1 when FILE held TEXT already (its mode is then left as it is).
file_put() {
  file_holds "$1" "$2" && return 1
  file_stage "$1" "$2" "$3"
  file_commit "$1"
}

# unit_names SUFFIX WHAT NAME...: sets UNIT_NAMES to the unit name of each NAME (`systemd-escape -p`, one process for
# all); WHAT names them in the error.
unit_names() {
  local suffix=$1 what=$2 out
  shift 2
  UNIT_NAMES=()
  [ "$#" -gt 0 ] || return 0
  # systemd-escape warns about a NAME that is not a path (ethtool's DEV.FEATURE), and names the unit all the same.
  # One line, the names separated by spaces (an escaped name has none: a space becomes \x20).
  out=$(exec systemd-escape -p --suffix="$suffix" -- "$@" 2>/dev/null) || die "systemd-escape failed for the $what"
  read -r -a UNIT_NAMES <<<"$out"
  [ "${#UNIT_NAMES[@]}" -eq "$#" ] || die "systemd-escape gave ${#UNIT_NAMES[@]} unit names for $# $what"
}

# unit_states UNIT...: sets UNIT_ACTIVE[n] and UNIT_ENABLED[n] to 1 when the nth UNIT is active (or reloading) and
# enabled (or in a state that `systemctl is-enabled` counts as enabled), else leaves them empty, with one
# `systemctl is-active` and one `systemctl is-enabled` for all units, read after the unit files are loaded. A unit
# found inactive or not enabled is to be asked again on its own before anything is done to it: acting on one unit
# can change another. Not `systemctl show`: it makes systemd compute and cache every property, UnitFileState too,
# and `systemctl enable` in a chroot (where host scripts run) changes the links without telling systemd, which would
# then show the unit disabled until its next reload.
# shellcheck disable=SC2034 # its results are read by the modules
unit_states() {
  local out n
  local -a states=()
  UNIT_ACTIVE=()
  UNIT_ENABLED=()
  [ "$#" -gt 0 ] || return 0
  # One state per unit, in the order given; the status is not 0 when any unit is not active (or not enabled).
  out=$(exec systemctl is-active -- "$@") || :
  mapfile -t states <<<"$out"
  # A unit without a state line leaves them all unknown: each is then asked on its own.
  [ "${#states[@]}" -eq "$#" ] || return 0
  for n in "${!states[@]}"; do
    case ${states[n]} in
      active | reloading) UNIT_ACTIVE[n]=1 ;;
    esac
  done
  out=$(exec systemctl is-enabled -- "$@" 2>/dev/null) || :
  mapfile -t states <<<"$out"
  [ "${#states[@]}" -eq "$#" ] || return 0
  for n in "${!states[@]}"; do
    case ${states[n]} in
      enabled | enabled-runtime | static | indirect | generated | alias | transient) UNIT_ENABLED[n]=1 ;;
    esac
  done
}

# unit_enable UNIT FAILURE: enables a systemd unit at boot unless it is; dies with FAILURE if that fails.
unit_enable() {
  if ! systemctl is-enabled --quiet "$1"; then
    # --no-reload: the unit is loaded already; the symlink matters at the next boot, and systemd reads it then.
    run systemctl enable --no-reload "$1" || die "$2"
    changed "Enabled $1 at boot"
  fi
}

# done_summary MODULE: the closing line of a run that went to its end; an ERROR naming what failed, if anything did.
done_summary() {
  if [ "${#DBELL_FAILED[@]}" -gt 0 ]; then
    log ERROR "$1: ${#DBELL_FAILED[@]} failed (${DBELL_FAILED[*]}); $DBELL_CHANGES change(s) applied."
  elif [ "$DBELL_CHANGES" -eq 0 ]; then
    log INFO "$1: no changes; the node already matches the policy."
  else
    log INFO "$1: $DBELL_CHANGES change(s) applied."
  fi
}

# ---- prelude: reading state without spawning processes (a no-op run of a large policy reads hundreds of files) ----

# file_text FILE: sets FILE_TEXT to FILE's text without its trailing newlines, as "$(cat FILE)" would give it but
# without a process; status 1 (FILE_TEXT empty) when FILE cannot be opened. Text after a NUL byte is not read.
file_text() {
  local nl=$'\n'
  FILE_TEXT=
  { IFS= read -r -d '' FILE_TEXT || :; } 2>/dev/null <"$1" || return 1
  FILE_TEXT=${FILE_TEXT%"${FILE_TEXT##*[!"$nl"]}"}
}

# dir_ready DIR: creates DIR unless it exists and dies unless it is writable.
dir_ready() {
  [ -d "$1" ] || mkdir -p "$1"
  write_test "$1"
}

# ---- prelude: Divingbell run records, /var/divingbell/MODULE/<hash>/{exit_code,last_run_timestamp} (perm, exec) ----

# run_record_start DIR [FILE...]: records that a run of DIR's configuration started: no exit_code while it runs (so an
# interrupted run counts as not run, as in Divingbell) and the time it started. The FILEs in DIR go with exit_code (one
# `rm` for all).
run_record_start() {
  local dir=$1
  shift
  rm -f "$dir/exit_code" "${@/#/"$dir/"}"
  printf '%(%s)T\n' -1 >"$dir/last_run_timestamp"
}

# run_record_end DIR STATUS: records the run's exit status.
run_record_end() {
  printf '%s\n' "$2" >"$1/exit_code"
}

# run_record_exit DIR: sets RUN_EXIT to the exit status DIR records (the first line of its exit_code, when that is a
# plain number or word), else empty; status 1 when there is no exit_code (never run, or interrupted).
# shellcheck disable=SC2034 # its results are read by the modules
run_record_exit() {
  local v=''
  RUN_EXIT=
  [ -f "$1/exit_code" ] || return 1
  IFS= read -r v <"$1/exit_code" || true
  if [[ $v =~ ^[0-9A-Za-z-]+$ ]]; then RUN_EXIT=$v; fi
}

# run_record_due DIR INTERVAL: status 0 when INTERVAL seconds have passed since the run DIR records started, when
# INTERVAL is `infinity` (Divingbell's default: no wait) or when DIR records no readable start time; else status 1 with
# RUN_WAIT set to the seconds left.
# shellcheck disable=SC2034 # its results are read by the modules
run_record_due() {
  local last='' now
  RUN_WAIT=0
  [ "$2" != infinity ] || return 0
  if [ -f "$1/last_run_timestamp" ]; then IFS= read -r last <"$1/last_run_timestamp" || true; fi
  [[ $last =~ ^[0-9]+$ ]] || return 0
  printf -v now '%(%s)T' -1
  [ "$now" -lt $((last + $2)) ] || return 0
  RUN_WAIT=$((last + $2 - now))
  return 1
}

# ---- module ethtool ----
# ethtool: one systemd service per (interface, feature) that runs `ethtool -K` at boot, and the feature's original
# value in /var/divingbell/ethtool/<unit> as `<device> <feature> <on|off>` (Divingbell's layout), restored on revert.
# Order: check every wanted feature, revert what the policy dropped, write the units, apply, then verify.
ETHTOOL_PERSIST=/etc/systemd/system
ETHTOOL_BIN=''
ETHTOOL_DEV=()
ETHTOOL_KEY=()
ETHTOOL_VAL=()
ETHTOOL_UNIT=()
ETHTOOL_FAILED=0
# What `ethtool -k DEVICE` printed, by device: read once per device and forgotten after every change, since setting
# one feature can switch others.
declare -A ETHTOOL_K=()
# Return values (set, not printed: no command substitution, so no process, per feature).
ETHTOOL_LINE=
ETHTOOL_TEXT=

# ethtool_add DEVICE FEATURE on|off: one wanted feature value.
ethtool_add() {
  ETHTOOL_DEV+=("$1")
  ETHTOOL_KEY+=("$2")
  ETHTOOL_VAL+=("$3")
}

# ethtool_has_device DEVICE: whether the interface exists (sysfs, else iproute2; no net-tools needed).
ethtool_has_device() {
  [ -e "/sys/class/net/$1" ] || ip link show dev "$1" >/dev/null 2>&1
}

# ethtool_line DEVICE FEATURE: sets ETHTOOL_LINE to what `ethtool -k` prints after `FEATURE: ` (`on`, `off [fixed]`,
# `off [requested on]`); status 1 (ETHTOOL_LINE empty) when the device has no such feature.
ethtool_line() {
  local out line
  ETHTOOL_LINE=
  if [ -z "${ETHTOOL_K[$1]+x}" ]; then
    # `exec`: the command substitution's shell becomes ethtool (it would stay and fork, for the ERR trap it inherits).
    out=$(exec "$ETHTOOL_BIN" -k "$1" 2>&1) || return 1
    ETHTOOL_K[$1]=$out
  fi
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    if [ "${line%%: *}" = "$2" ]; then
      ETHTOOL_LINE=${line#*: }
      return 0
    fi
  done <<<"${ETHTOOL_K[$1]}"
  return 1
}

# ethtool_changed: the features read so far may have changed (a feature was set or restored): read them again.
ethtool_changed() {
  ETHTOOL_K=()
}

# ethtool_check: fails the run before any change when a wanted feature cannot be set on this node.
ethtool_check() {
  local i dev key line bad=0
  for i in "${!ETHTOOL_DEV[@]}"; do
    dev=${ETHTOOL_DEV[$i]}
    key=${ETHTOOL_KEY[$i]}
    if ! ethtool_has_device "$dev"; then
      log_error "Interface '$dev' does not exist on this node (see \`ip link\`)."
      bad=$((bad + 1))
    elif ! ethtool_line "$dev" "$key"; then
      log_error "Could not find requested param $key for $dev (see \`ethtool -k $dev\` for its feature names)."
      bad=$((bad + 1))
    elif line=$ETHTOOL_LINE && [[ $line == *"[fixed]"* && ${line%% *} != "${ETHTOOL_VAL[$i]}" ]]; then
      log_error "'$dev' does not permit changing the '$key' setting: it is fixed at ${line%% *}."
      bad=$((bad + 1))
    fi
  done
  if [ "$bad" -gt 0 ]; then
    die "$bad ethtool setting(s) cannot be applied on this node; nothing was changed."
  fi
}

# ethtool_drop_unit UNIT: stops, disables and deletes a unit file of this module, if there is one, and any links of
# UNIT a unit file deleted by hand left behind. A failed stop is ignored: the unit is a oneshot that set the feature,
# and the feature is put back by ethtool, not by stopping the unit.
ethtool_drop_unit() {
  if [ -f "$ETHTOOL_PERSIST/$1" ]; then
    run systemctl stop "$1" || true
  fi
  unit_remove "$ETHTOOL_PERSIST" "$1"
}

# ethtool_revert STATE: restores the original of every feature recorded in STATE that the policy dropped.
# A record is deleted only after its original is back; an interface that is gone keeps its record.
ethtool_revert() {
  local state=$1 record unit dev key orig removed=()
  for record in "$state"/*.service; do
    [ -f "$record" ] || continue
    unit=${record##*/}
    in_list "$unit" "${ETHTOOL_UNIT[@]}" && continue
    read -r dev key orig _ <"$record" || true
    if [ -z "$dev" ] || [ -z "$key" ] || { [ "$orig" != on ] && [ "$orig" != off ]; }; then
      die "Unreadable original in $record (expected '<device> <feature> on|off'); fix or delete it, then run again."
    fi
    if ! ethtool_has_device "$dev"; then
      ethtool_drop_unit "$unit" && removed+=("$unit") && changed "Removed $unit: interface '$dev' is gone"
      log_warn "Interface '$dev' is gone; $record keeps its original '$key $orig' until it is back."
      continue
    fi
    # Set even when it reads as the original already: for a feature with sub-features (tcp-segmentation-offload)
    # that puts every sub-feature back too.
    ethtool_changed
    if ! run "$ETHTOOL_BIN" -K "$dev" "$key" "$orig"; then
      log_error "Could not restore '$key' on '$dev' to its original '$orig'; its unit and record stay."
      ETHTOOL_FAILED=$((ETHTOOL_FAILED + 1))
      continue
    fi
    ethtool_drop_unit "$unit" && removed+=("$unit")
    rm -f "$record"
    changed "Reverted ethtool settings: $unit ($key on $dev back to its original $orig)"
  done
  if [ "${#removed[@]}" -gt 0 ]; then
    systemctl daemon-reload
  fi
}

# ethtool_unit_text I ORIGINAL: sets ETHTOOL_TEXT to the service of wanted feature I. Divingbell's unit, plus Type=oneshot so that
# `systemctl restart` waits for ethtool and fails when it fails, and RemainAfterExit=yes so the unit shows as
# active once its setting is applied.
ethtool_unit_text() {
  local i=$1
  printf -v ETHTOOL_TEXT '[Unit]\nBefore=docker.service\nAfter=network-online.target\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=%s -K %s %s %s\n#ExecStop=%s -K %s %s %s\n\n[Install]\nWantedBy=multi-user.target' \
    "$ETHTOOL_BIN" "${ETHTOOL_DEV[$i]}" "${ETHTOOL_KEY[$i]}" "${ETHTOOL_VAL[$i]}" \
    "$ETHTOOL_BIN" "${ETHTOOL_DEV[$i]}" "${ETHTOOL_KEY[$i]}" "$2"
}

# ethtool_write STATE: records each wanted feature's original (once) and writes its unit.
ethtool_write() {
  local state=$1 i unit record dev key orig line reload=0
  for i in "${!ETHTOOL_DEV[@]}"; do
    unit=${ETHTOOL_UNIT[$i]}
    record=$state/$unit
    if [ ! -f "$record" ]; then
      ethtool_line "${ETHTOOL_DEV[$i]}" "${ETHTOOL_KEY[$i]}" || die "Could not read '${ETHTOOL_KEY[$i]}' of '${ETHTOOL_DEV[$i]}'."
      line=$ETHTOOL_LINE
      printf '%s %s %s\n' "${ETHTOOL_DEV[$i]}" "${ETHTOOL_KEY[$i]}" "${line%% *}" >"$record"
    fi
    read -r dev key orig _ <"$record" || true
    if [ "$dev" != "${ETHTOOL_DEV[$i]}" ] || [ "$key" != "${ETHTOOL_KEY[$i]}" ] || { [ "$orig" != on ] && [ "$orig" != off ]; }; then
      die "Unreadable original in $record (expected '${ETHTOOL_DEV[$i]} ${ETHTOOL_KEY[$i]} on|off'); fix or delete it, then run again."
    fi
    ethtool_unit_text "$i" "$orig"
    if write_if_changed "$ETHTOOL_PERSIST/$unit" "$ETHTOOL_TEXT"; then
      changed "Unit written: $unit (${ETHTOOL_KEY[$i]}=${ETHTOOL_VAL[$i]} on ${ETHTOOL_DEV[$i]}, original $orig)"
      reload=1
    fi
  done
  if [ "$reload" -eq 1 ]; then
    systemctl daemon-reload
  fi
}

# ethtool_activate I: applies wanted feature I through its unit and enables the unit at boot.
ethtool_activate() {
  local i=$1 unit=${ETHTOOL_UNIT[$1]}
  local what="${ETHTOOL_KEY[$i]}=${ETHTOOL_VAL[$i]} on ${ETHTOOL_DEV[$i]}" line differs=''
  # Read now, not earlier: setting one feature can switch others (a parent feature switches its children); the
  # features are read again after each change (ethtool_changed).
  ethtool_line "${ETHTOOL_DEV[$i]}" "${ETHTOOL_KEY[$i]}" || :
  line=$ETHTOOL_LINE
  [ "${line%% *}" = "${ETHTOOL_VAL[$i]}" ] || differs=1
  if [ -n "$differs" ] || { [ -z "${UNIT_ACTIVE[i]-}" ] && ! systemctl is-active --quiet "$unit"; }; then
    ethtool_changed
    if ! run systemctl restart "$unit"; then
      run journalctl --no-pager --quiet -n 5 -u "$unit" || true
      log_error "Start failed: $unit ($what)"
      ETHTOOL_FAILED=$((ETHTOOL_FAILED + 1))
      return 0
    fi
    if [ -n "$differs" ]; then
      changed "Set $what"
    else
      changed "Started $unit ($what was already in place)"
    fi
  fi
  [ -n "${UNIT_ENABLED[i]-}" ] || unit_enable "$unit" "systemd persist failed: $unit"
  log_info "Service successfully verified: $unit"
}

# ethtool_verify: every wanted feature reads back as wanted; drivers couple some features to others.
ethtool_verify() {
  local i line
  for i in "${!ETHTOOL_DEV[@]}"; do
    if ethtool_line "${ETHTOOL_DEV[$i]}" "${ETHTOOL_KEY[$i]}"; then line=$ETHTOOL_LINE; else line='(missing)'; fi
    [ "${line%% *}" = "${ETHTOOL_VAL[$i]}" ] && continue
    if [[ $line == *"[requested "* ]]; then
      log_error "There is a conflict between settings chosen for this device."
    fi
    log_error "Validation failure: Requested '${ETHTOOL_KEY[$i]}' to be set to '${ETHTOOL_VAL[$i]}' on '${ETHTOOL_DEV[$i]}'; got '${ETHTOOL_KEY[$i]}: $line'."
    ETHTOOL_FAILED=$((ETHTOOL_FAILED + 1))
  done
}

# ethtool_find_bin: sets ETHTOOL_BIN to ethtool's path on PATH, or empty (what `command -v` prints, without a
# command substitution).
ethtool_find_bin() {
  local dir
  local -a dirs
  ETHTOOL_BIN=''
  IFS=: read -r -a dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    if [ -f "$dir/ethtool" ] && [ -x "$dir/ethtool" ]; then
      ETHTOOL_BIN=$dir/ethtool
      return 0
    fi
  done
}

# ethtool_units: sets ETHTOOL_UNIT to the unit name of every wanted feature (Divingbell's `DEV.FEATURE.service`).
ethtool_units() {
  local i
  local -a names=()
  for i in "${!ETHTOOL_DEV[@]}"; do names+=("${ETHTOOL_DEV[$i]}.${ETHTOOL_KEY[$i]}"); done
  unit_names service "ethtool settings" "${names[@]}"
  ETHTOOL_UNIT=("${UNIT_NAMES[@]}")
}

# ethtool_finish: checks, reverts, applies and verifies; fails the run if any feature is not as wanted.
ethtool_finish() {
  local state=/var/divingbell/ethtool i
  dir_ready "$state"
  write_test "$ETHTOOL_PERSIST"
  ethtool_find_bin
  local records=("$state"/*.service)
  if [ -z "$ETHTOOL_BIN" ] && { [ "${#ETHTOOL_DEV[@]}" -gt 0 ] || [ -f "${records[0]}" ]; }; then
    die "ethtool is not installed on this node."
  fi
  ethtool_units
  ethtool_check
  ethtool_revert "$state"
  ethtool_write "$state"
  unit_states "${ETHTOOL_UNIT[@]}"
  for i in "${!ETHTOOL_DEV[@]}"; do
    ethtool_activate "$i"
  done
  ethtool_verify
  if [ "$ETHTOOL_FAILED" -gt 0 ]; then
    die "$ETHTOOL_FAILED ethtool setting(s) could not be applied or reverted; see the ERROR lines above."
  fi
  if [ "${#ETHTOOL_DEV[@]}" -gt 0 ]; then
    log_info "All ethtool successfully validated on this node."
  else
    log_info "No ethtool overrides defined for this node."
  fi
}

module_lock ethtool
# ---- this node's settings ----
ethtool_finish
done_summary ethtool
