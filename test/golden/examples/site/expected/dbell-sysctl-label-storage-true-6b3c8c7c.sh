#!/bin/bash
# dbellc host script for module sysctl. Generated; do not edit.
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

# ---- module sysctl ----
# sysctl: kernel tunables (docs/modules/sysctl.md). `sysctl_want` collects the policy's keys; `sysctl_sync` checks them all, reverts
# the keys earlier runs managed that the policy dropped, applies and persists the rest, and reloads only on a change.
# State is Divingbell's: /var/divingbell/sysctl/60-divingbell-<name>.conf holds the original `name = value` line as
# sysctl printed it, /etc/sysctl.d/60-divingbell-<name>.conf holds `<name>=<value>`.
SYSCTL_STATE=/var/divingbell/sysctl
SYSCTL_CONF_DIR=/etc/sysctl.d
SYSCTL_KEYS=()
SYSCTL_VALUES=()
SYSCTL_RELOAD=0
# Results of the helpers below, which return through globals so that no `$(...)` forks a process per key.
SYSCTL_NAME='' SYSCTL_PATH='' SYSCTL_FILE='' SYSCTL_SWAP='' SYSCTL_VALUE='' SYSCTL_NORM='' SYSCTL_LINE='' SYSCTL_WHY=''

# sysctl_want KEY VALUE: the policy sets KEY (dotted or slashed) to VALUE.
sysctl_want() {
  SYSCTL_KEYS+=("$1")
  SYSCTL_VALUES+=("$2")
}

# sysctl_norm VALUE: sets SYSCTL_NORM to VALUE with each run of whitespace made one space, trimmed. Multi-value
# tunables (ip_local_port_range, tcp_rmem) print tab-separated, so values compare equal whatever spacing the policy
# used. Word splitting with globbing off (local to this function) does it without a process.
sysctl_norm() {
  local - IFS=$' \t\n'
  local -a words
  set -f
  # shellcheck disable=SC2206 # splitting into words is the point
  words=($1)
  IFS=' '
  SYSCTL_NORM="${words[*]}"
}

# sysctl_file NAME: sets SYSCTL_FILE to the file name Divingbell uses for tunable NAME. A `/` in NAME (sysctl's
# spelling of a `.` inside an interface name, eth0.100) becomes `:`, which no interface name can contain.
sysctl_file() {
  SYSCTL_FILE="60-divingbell-${1//\//:}.conf"
}

# sysctl_swap KEY: sets SYSCTL_SWAP to KEY with every `.` made `/` and every `/` made `.`.
sysctl_swap() {
  local t=${1//./$'\001'}
  t=${t//\//.}
  SYSCTL_SWAP=${t//$'\001'//}
}

# sysctl_name KEY: sets SYSCTL_NAME to the canonical dotted name of KEY and SYSCTL_PATH to its file under /proc/sys;
# dies naming KEY unless it is one tunable. It reads KEY as sysctl(8) does: the first separator tells the spelling,
# and the other spelling has `.` and `/` swapped (net.ipv4.conf.eth0/100.rp_filter is net/ipv4/conf/eth0.100/rp_filter).
sysctl_name() {
  local key=$1 head
  head=${key%%[./]*}
  sysctl_swap "$key"
  if [ "${key:${#head}:1}" = / ]; then
    SYSCTL_NAME=$SYSCTL_SWAP
    SYSCTL_PATH=/proc/sys/$key
  else
    SYSCTL_NAME=$key
    SYSCTL_PATH=/proc/sys/$SYSCTL_SWAP
  fi
  case /${SYSCTL_PATH#/proc/sys/}/ in
    *//* | */./* | */../*) die "sysctl key '$key' is not a tunable's name" ;;
  esac
  if [ -d "$SYSCTL_PATH" ]; then
    die "sysctl key '$key' is not a single tunable (it names a group of them)"
  elif [ ! -e "$SYSCTL_PATH" ]; then
    die "unknown sysctl key '$key': the kernel has no such tunable ($SYSCTL_PATH does not exist)"
  fi
}

# sysctl_read NAME: sets SYSCTL_VALUE to the kernel's current value of NAME (read from its file, as sysctl does);
# status 1 if it cannot be read.
sysctl_read() {
  local path
  sysctl_swap "$1"
  path=/proc/sys/$SYSCTL_SWAP
  file_text "$path" || return 1
  SYSCTL_VALUE=$FILE_TEXT
}

# sysctl_write NAME VALUE: writes VALUE and reads it back; status 1 with the reason in SYSCTL_WHY if the kernel did
# not take it. The write is bash's own; only a refused one runs sysctl(8) again, for the kernel's reason in its words.
sysctl_write() {
  local name=$1 value=$2 out='' want
  SYSCTL_WHY=
  sysctl_swap "$name"
  if ! { printf '%s\n' "$value" >"/proc/sys/$SYSCTL_SWAP"; } 2>/dev/null; then
    out=$(sysctl -q -w -- "$name=$value" 2>&1) || :
  fi
  sysctl_norm "$value"
  want=$SYSCTL_NORM
  SYSCTL_VALUE=
  sysctl_read "$name" || :
  sysctl_norm "$SYSCTL_VALUE"
  if [ "$SYSCTL_NORM" != "$want" ]; then
    SYSCTL_WHY=${out:-"the kernel holds '$SYSCTL_VALUE' after writing it"}
    return 1
  fi
}

# sysctl_line NAME VALUE: sets SYSCTL_LINE to what `sysctl NAME` prints for VALUE: `NAME = VALUE`, each line of a
# multi-line value prefixed alike (Divingbell's backup format).
sysctl_line() {
  local nl=$'\n'
  SYSCTL_LINE="$1 = ${2//"$nl"/"$nl$1 = "}"
}

# sysctl_revert FILE: restores the original value recorded in the backup FILE, then forgets the key.
sysctl_revert() {
  local file=$1 backup="$SYSCTL_STATE/$1" line name value
  file_text "$backup" || die "cannot read the backup $backup"
  line=${FILE_TEXT%%$'\n'*}
  case $line in
    *' = '*) ;;
    *) die "backup $backup does not hold a 'name = value' line; restore it by hand or delete it" ;;
  esac
  name=${line%% = *}
  value=${line#* = }
  if ! sysctl_read "$name"; then
    log_warn "sysctl $name no longer exists; keeping its original value in $backup"
    rm -f -- "${SYSCTL_CONF_DIR:?}/$file"
    return 0
  fi
  sysctl_norm "$SYSCTL_VALUE"
  local have=$SYSCTL_NORM
  sysctl_norm "$value"
  if [ "$have" != "$SYSCTL_NORM" ]; then
    sysctl_write "$name" "$value" || die "cannot restore sysctl $name to its original '$value': $SYSCTL_WHY"
  fi
  if [ -e "$SYSCTL_CONF_DIR/$file" ]; then
    rm -f -- "${SYSCTL_CONF_DIR:?}/$file"
  else
    log_warn "$SYSCTL_CONF_DIR/$file was already removed"
  fi
  rm -f -- "$backup"
  changed "sysctl $name: no longer managed; restored its original value '$value'"
  SYSCTL_RELOAD=1
}

# sysctl_apply NAME VALUE CURRENT: sets and persists one tunable whose value is CURRENT, recording it first as the
# original unless a backup exists.
sysctl_apply() {
  local name=$1 want=$2 cur=$3 file backup conf fresh=0 wrote=0 want_norm
  sysctl_file "$name"
  file=$SYSCTL_FILE
  backup="$SYSCTL_STATE/$file"
  conf="$SYSCTL_CONF_DIR/$file"
  if [ ! -e "$backup" ]; then
    sysctl_line "$name" "$cur"
    printf '%s\n' "$SYSCTL_LINE" >"$backup"
    fresh=1
  fi
  sysctl_norm "$want"
  want_norm=$SYSCTL_NORM
  sysctl_norm "$cur"
  if [ "$SYSCTL_NORM" != "$want_norm" ]; then
    if ! sysctl_write "$name" "$want"; then
      local why=$SYSCTL_WHY have
      # Leave the node as it was: the old value back if the kernel took part of the write, no new state files.
      have=$SYSCTL_NORM
      sysctl_norm "$cur"
      if [ "$have" != "$SYSCTL_NORM" ]; then
        sysctl_write "$name" "$cur" || log_warn "sysctl $name: could not put back '$cur'"
      fi
      if [ "$fresh" -eq 1 ]; then rm -f -- "$backup"; fi
      die "sysctl $name: cannot set '$want': $why (nothing was changed or persisted)"
    fi
    changed "sysctl $name: '$cur' -> '$want'"
    wrote=1
  fi
  if write_if_changed "$conf" "$name=$want"; then
    SYSCTL_RELOAD=1
    if [ "$wrote" -eq 0 ]; then changed "sysctl $name: persisted '$want' in $conf"; fi
  elif [ "$wrote" -eq 0 ]; then
    log_info "sysctl $name is already '$want'"
  fi
}

# sysctl_sync: the whole run. Every key is checked before anything changes, and dropped keys are reverted before the
# wanted ones are applied, so a revert can never undo a value applied in the same run. A run that changes nothing
# reads each tunable and each persisted file once, with bash alone: no process per key.
sysctl_sync() {
  local i name file f why have
  local -a names=() currents=()
  local -A wanted=()
  dir_ready "$SYSCTL_STATE"
  dir_ready "$SYSCTL_CONF_DIR"
  for i in "${!SYSCTL_KEYS[@]}"; do
    sysctl_name "${SYSCTL_KEYS[$i]}"
    name=$SYSCTL_NAME
    sysctl_file "$name"
    file=$SYSCTL_FILE
    if [ -n "${wanted[$file]:-}" ]; then
      die "sysctl $name is set twice (as '${wanted[$file]}' and '${SYSCTL_KEYS[$i]}')"
    fi
    wanted[$file]=${SYSCTL_KEYS[$i]}
    sysctl_read "$name" || die "sysctl $name cannot be read, so its original value cannot be kept: reading $SYSCTL_PATH failed"
    names+=("$name")
    currents+=("$SYSCTL_VALUE")
  done

  for f in "$SYSCTL_STATE"/60-divingbell-*.conf; do
    [ -e "$f" ] || continue
    file=${f##*/}
    if [ -z "${wanted[$file]:-}" ]; then sysctl_revert "$file"; fi
  done

  for i in "${!names[@]}"; do
    sysctl_apply "${names[$i]}" "${SYSCTL_VALUES[$i]}" "${currents[$i]}"
  done
  if [ "${#names[@]}" -eq 0 ]; then log_info "no sysctl settings for this node"; fi

  if [ "$SYSCTL_RELOAD" -eq 1 ]; then
    # Re-reads every sysctl.d file: after a revert, another file that sets the same tunable takes effect again.
    if ! why=$(sysctl --system 2>&1 >/dev/null); then
      log_warn "sysctl --system reported problems outside this policy: ${why//$'\n'/; }"
    fi
    # The read-back check, for every key at once: bash reads the files, no process per key.
    for i in "${!names[@]}"; do
      SYSCTL_VALUE=
      sysctl_read "${names[$i]}" || :
      sysctl_norm "${SYSCTL_VALUES[$i]}"
      have=$SYSCTL_NORM
      sysctl_norm "$SYSCTL_VALUE"
      if [ "$have" != "$SYSCTL_NORM" ]; then
        log_warn "sysctl ${names[$i]} is '$SYSCTL_VALUE' after sysctl --system: another file in the sysctl.d directories overrides it"
      fi
    done
  fi
}

module_lock sysctl
# ---- this node's settings ----
sysctl_want fs.inotify.max_user_watches 1048576
sysctl_want net.core.somaxconn 4096
sysctl_want net.ipv4.ip_forward 1
sysctl_want net.ipv4.tcp_syncookies 1
sysctl_want vm.dirty_ratio 10
sysctl_sync
done_summary sysctl
