#!/bin/bash
# dbellc host script for module exec. Generated; do not edit.
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

# ---- module exec ----
# exec: runs scripts in the host's namespaces with rerun/retry/timeout/blocking policies (Divingbell's exec; docs/modules/exec.md).
# State keeps Divingbell's layout: /var/divingbell/exec/<name> is a script, /var/divingbell/exec/<hash>/ the run record
# of one configuration of it (exit_code, last_run_timestamp). dbellc adds boot_id, rerun_count and retry_count there
# for the count and persist options, and background_pid/background.log/background_done for background runs.
# Scripts work in this directory too (logs, markers, output), so dbellc lists the script files it wrote in
# /var/divingbell/exec/.dbellc-scripts and removes only those; every other file stays (docs/modules/exec.md).

EXEC_DIR=/var/divingbell/exec
# The script files dbellc wrote, one name a line: the only files exec_begin removes.
EXEC_RECORD=.dbellc-scripts
# Seconds between TERM and KILL when a script overruns its timeout (Divingbell's value).
EXEC_GRACE=10
EXEC_BOOT_ID=
EXEC_STATUS=0
EXEC_ENVS=()
EXEC_ARGS=()
# Return values of the helpers below (set, not printed: no command substitution, so no process, per call).
EXEC_KIND=
EXEC_READ=
EXEC_START=
# `<mode> <size> <type>` of each script file there was when the run began, from one stat for all of them.
declare -A EXEC_STAT=()

# exec_begin [NAME HASH]...: enters the state directory and removes the scripts dbellc wrote and the run records that
# the policy no longer has (Divingbell left them forever). A run record whose background run is still going is kept
# until it ends. Files that are not in the record (a script's own files, scripts Divingbell wrote) and directories
# that are not run records stay. The record then lists the policy's scripts, which exec_script writes next. One stat
# reads the policy's script files that exist, for exec_script.
# shellcheck disable=SC2120  # a policy without scripts calls it without arguments: everything goes
exec_begin() {
  dir_ready "$EXEC_DIR"
  cd "$EXEC_DIR" || die "cannot enter $EXEC_DIR"
  file_text /proc/sys/kernel/random/boot_id || die "cannot read /proc/sys/kernel/random/boot_id"
  EXEC_BOOT_ID=$FILE_TEXT
  local -A names=() hashes=()
  local -a kept=() present=()
  while [ $# -ge 2 ]; do
    names[$1]=1
    hashes[$2]=1
    # The compiler passes the scripts in byte order, which is the record's order.
    kept+=("$1")
    if [ -e "$1" ] || [ -L "$1" ]; then present+=("$1"); fi
    shift 2
  done
  local entry base name text
  if [ -f "$EXEC_RECORD" ]; then
    while IFS= read -r name || [ -n "$name" ]; do
      if [ -z "$name" ] || [ -n "${names[$name]+x}" ]; then continue; fi
      # Only a plain script name, and only a regular file: a record edited by hand must not reach other paths.
      if [[ ! $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$ ]]; then
        log_warn "exec: $EXEC_DIR/$EXEC_RECORD names '$name', which is not a script name; ignored"
      elif [ -f "$name" ] && [ ! -L "$name" ]; then
        rm -f -- "$name"
        changed "exec: removed ./$name, no longer in the policy"
      fi
    done <"$EXEC_RECORD"
  fi
  if [ "${#kept[@]}" -eq 0 ]; then
    [ ! -e "$EXEC_RECORD" ] || rm -f -- "$EXEC_RECORD"
  else
    printf -v text '%s\n' "${kept[@]}"
    write_if_changed "$EXEC_RECORD" "${text%$'\n'}" || true
  fi
  # Run records are directories named by a sha256 (never hidden, so the glob sees them all).
  for entry in */; do
    base=${entry%/}
    if [ ! -d "$base" ] || [ -L "$base" ]; then continue; fi
    [[ $base =~ ^[0-9a-f]{64}$ ]] || continue
    [ -n "${hashes[$base]+x}" ] && continue
    if exec__background_alive "$base"; then
      log_info "exec: keeping the run record $base until its background run ends"
      continue
    fi
    rm -rf -- "$base"
    changed "exec: removed the run record $base of a configuration the policy no longer has"
  done
  EXEC_STAT=()
  [ "${#present[@]}" -gt 0 ] || return 0
  # Script names are plain words (no spaces): `%n` maps each line back to its file. `exec`: the substitution's shell
  # becomes stat instead of forking it (it stays for the ERR trap it inherits).
  while IFS=' ' read -r name entry; do
    if [ -n "${names[$name]+x}" ]; then EXEC_STAT[$name]=$entry; fi
  done < <(exec stat -c '%n %a %s %F' -- "${present[@]}" 2>/dev/null)
}

# exec_script NAME BODY: writes the script file (mode 700) if its text differs. The file's mode, size and type come
# from exec_begin's stat; its text is read by bash and compared with BODY only when the size is BODY's. A script that
# ran before this one may have changed the file since: its text is read afresh, one byte more than the size, so a
# file grown since reads as different.
exec_script() {
  local name=$1 body=$2 mode size type text=
  read -r mode size type <<<"${EXEC_STAT[$name]-}"
  if [[ ${type:-} == "regular file" || ${type:-} == "regular empty file" ]] && [ "${size:-}" = "${#body}" ] && [ -f "$name" ] && [ ! -L "$name" ]; then
    # -N: up to SIZE+1 bytes (LC_ALL=C), newlines included; a NUL byte bash drops makes the text shorter than BODY.
    IFS= read -r -d '' -N "$((size + 1))" text <"$name" || :
    if [ "$text" = "$body" ]; then
      [ "$mode" = 700 ] || chmod 700 "$name"
      return 0
    fi
  fi
  file_stage "$name" "$body" 700
  file_commit "$name"
  changed "exec: wrote ./$name"
}

# exec_run NAME HASH OPTION=VALUE... [--env NAME=VALUE]... -- [ARG]...: runs ./NAME if its policies say so.
exec_run() {
  local name=$1 hash=$2
  shift 2
  local rerun_policy=always blocking_policy=foreground timeout=1800 rerun_interval=infinity retry_interval=infinity
  local rerun_interval_persist=true rerun_max_count=unlimited retry_interval_persist=true retry_max_count=unlimited
  EXEC_ENVS=()
  EXEC_ARGS=()
  while [ $# -gt 0 ]; do
    case $1 in
      --env) EXEC_ENVS+=("$2"); shift 2; continue ;;
      --) shift; EXEC_ARGS=("$@"); break ;;
      rerun_policy=*) rerun_policy=${1#*=} ;;
      blocking_policy=*) blocking_policy=${1#*=} ;;
      timeout=*) timeout=${1#*=} ;;
      rerun_interval=*) rerun_interval=${1#*=} ;;
      retry_interval=*) retry_interval=${1#*=} ;;
      rerun_interval_persist=*) rerun_interval_persist=${1#*=} ;;
      rerun_max_count=*) rerun_max_count=${1#*=} ;;
      retry_interval_persist=*) retry_interval_persist=${1#*=} ;;
      retry_max_count=*) retry_max_count=${1#*=} ;;
      *) die "exec: unknown option $1 for ./$name" ;;
    esac
    shift
  done
  [ -d "$hash" ] || mkdir -p "$hash"
  exec__report_background "$name" "$hash"
  local kind
  exec__gate "$hash" "$rerun_policy" "$rerun_interval" "$retry_interval" "$rerun_interval_persist" \
    "$rerun_max_count" "$retry_interval_persist" "$retry_max_count"
  kind=$EXEC_KIND
  case $kind in
    skip:*) log_info "exec: ./$name not run: ${kind#skip:}"; return 0 ;;
  esac
  exec__record_start "$hash" "$kind"
  if [ "$blocking_policy" = background ]; then
    exec__background "$name" "$hash" "$timeout" &
    # Recorded here, not by the supervisor, so that a run of this script right after this one already sees it.
    exec__starttime "$!"
    printf '%s %s %s\n' "$EXEC_BOOT_ID" "$!" "$EXEC_START" >"$hash/background_pid"
    changed "exec: started ./$name in the background (output in $EXEC_DIR/$hash/background.log)"
    return 0
  fi
  log_info "exec: running ./$name"
  exec__supervise "$name" "$timeout"
  exec__record_end "$hash" "$EXEC_STATUS"
  if [ "$EXEC_STATUS" -eq 0 ]; then
    changed "exec: ./$name ran, exit 0"
  else
    if [ "$blocking_policy" = foreground_halt_pod_on_failure ]; then
      die "Killing pod due to non-zero exit code from '$name'."
    fi
    # A failed script is a change to the node too (it ran); the closing line then counts it as a failure.
    DBELL_CHANGES=$((DBELL_CHANGES + 1))
    failed "./$name" "exec: ./$name failed with exit $EXEC_STATUS"
  fi
}

# exec__gate DIR POLICY RERUN_INTERVAL RETRY_INTERVAL RERUN_PERSIST RERUN_MAX RETRY_PERSIST RETRY_MAX: sets EXEC_KIND
# to `first`, `rerun` or `retry` when the script is due, else `skip:<reason>`. Divingbell's gate (docs/modules/exec.md): the
# policy decides whether a successful or failed configuration runs again, the interval when; dbellc adds the per-boot
# counts and `*_persist = false` (a new boot makes the interval pass).
exec__gate() {
  local dir=$1 policy=$2 rerun_interval=$3 retry_interval=$4 rerun_persist=$5 rerun_max=$6 retry_persist=$7 retry_max=$8
  local new_boot=false last interval persist kind
  exec__read "$dir/boot_id"
  [ "$EXEC_READ" = "$EXEC_BOOT_ID" ] || new_boot=true
  if ! run_record_exit "$dir"; then
    if exec__background_alive "$dir"; then
      EXEC_KIND="skip:still running in the background"
    else
      EXEC_KIND=first
    fi
    return 0
  fi
  last=$RUN_EXIT
  if [ "$last" = 0 ]; then
    if [ "$policy" != always ]; then
      EXEC_KIND="skip:ran successfully before (rerun_policy $policy)"
      return 0
    fi
    if [ "$rerun_max" != unlimited ] && exec__count "$dir/rerun_count" "$new_boot" && [ "$EXEC_READ" -ge "$rerun_max" ]; then
      EXEC_KIND="skip:reached rerun_max_count ($rerun_max) for this boot"
      return 0
    fi
    kind=rerun interval=$rerun_interval persist=$rerun_persist
  else
    if [ "$policy" = never ]; then
      EXEC_KIND="skip:failed before with exit $last (rerun_policy never)"
      return 0
    fi
    if [ "$retry_max" != unlimited ] && exec__count "$dir/retry_count" "$new_boot" && [ "$EXEC_READ" -ge "$retry_max" ]; then
      EXEC_KIND="skip:failed $retry_max time(s) in a row this boot (retry_max_count)"
      return 0
    fi
    kind=retry interval=$retry_interval persist=$retry_persist
  fi
  # Divingbell: an `infinity` interval (the default) means no wait, so the script runs on every loop.
  if [ "$persist" = false ] && [ "$new_boot" = true ]; then
    EXEC_KIND=$kind
  elif run_record_due "$dir" "$interval"; then
    EXEC_KIND=$kind
  else
    EXEC_KIND="skip:next $kind due in $RUN_WAIT s"
  fi
}

# exec__read FILE [DEFAULT]: sets EXEC_READ to the first line of FILE if it is a plain number or id, else DEFAULT (or
# empty).
exec__read() {
  local v=
  if [ -f "$1" ]; then IFS= read -r v <"$1" || true; fi
  if [[ $v =~ ^[0-9A-Za-z-]+$ ]]; then EXEC_READ=$v; else EXEC_READ=${2:-}; fi
}

# exec__count FILE NEW_BOOT: sets EXEC_READ to a counter of this boot (counts start again at each boot, as Divingbell
# documented).
exec__count() {
  exec__read "$1" 0
  [[ $EXEC_READ =~ ^[0-9]+$ ]] || EXEC_READ=0
  if [ "$2" = true ]; then EXEC_READ=0; fi
}

# exec__record_start DIR KIND: Divingbell's start record (no exit_code while running, so an interrupted run counts as
# not run) plus the boot and the counters.
exec__record_start() {
  local dir=$1 kind=$2 new_boot=false reruns retries
  exec__read "$dir/boot_id"
  [ "$EXEC_READ" = "$EXEC_BOOT_ID" ] || new_boot=true
  exec__count "$dir/rerun_count" "$new_boot"
  reruns=$EXEC_READ
  exec__count "$dir/retry_count" "$new_boot"
  retries=$EXEC_READ
  case $kind in
    rerun) reruns=$((reruns + 1)) ;;
    retry) retries=$((retries + 1)) ;;
  esac
  run_record_start "$dir" background_done
  printf '%s\n' "$EXEC_BOOT_ID" >"$dir/boot_id"
  printf '%s\n' "$reruns" >"$dir/rerun_count"
  printf '%s\n' "$retries" >"$dir/retry_count"
}

# exec__record_end DIR STATUS: the exit code; a success ends a run of failures, so retries count from zero again.
exec__record_end() {
  run_record_end "$1" "$2"
  [ "$2" -ne 0 ] || printf '0\n' >"$1/retry_count"
}

# exec__alive PID: the process exists and has not exited (a zombie, exited but not yet reaped, counts as gone).
exec__alive() {
  local stat=''
  { IFS= read -r stat <"/proc/$1/stat"; } 2>/dev/null || [ -n "$stat" ] || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# exec__starttime PID: sets EXEC_START to the process's start time in clock ticks since boot (empty if it is gone);
# with the pid it names one process.
exec__starttime() {
  local stat='' fields
  EXEC_START=
  { IFS= read -r stat <"/proc/$1/stat"; } 2>/dev/null || [ -n "$stat" ] || return 0
  read -r -a fields <<<"${stat##*) }"
  EXEC_START=${fields[19]:-}
}

# exec__background_alive DIR: the background run recorded in DIR is still going (same boot, pid and start time).
exec__background_alive() {
  local boot pid start
  [ -f "$1/background_pid" ] || return 1
  read -r boot pid start <"$1/background_pid" || true
  [ "$boot" = "$EXEC_BOOT_ID" ] && [[ $pid =~ ^[0-9]+$ ]] || return 1
  exec__alive "$pid" && exec__starttime "$pid" && [ "$EXEC_START" = "$start" ]
}

# exec__report_background NAME DIR: logs, once, how a background run that ended since the last loop went; a failure
# counts as one of this run's.
exec__report_background() {
  [ -f "$2/background_done" ] || return 0
  local status
  exec__read "$2/exit_code" unknown
  status=$EXEC_READ
  if [ "$status" = 0 ]; then
    log_info "exec: the background run of ./$1 ended with exit 0"
  else
    failed "./$1" "exec: the background run of ./$1 failed with exit $status (output in $EXEC_DIR/$2/background.log)"
  fi
  rm -f "$2/background_done"
}

# exec__log_lines NAME: logs each line read from stdin as the script's output.
exec__log_lines() {
  local line
  # It lives as long as anything holds the script's output open, a daemon the script started too.
  lock_drop
  while IFS= read -r line || [ -n "$line" ]; do log INFO "./$1: $line"; done
}

# exec__supervise NAME TIMEOUT: runs ./NAME with EXEC_ENVS and EXEC_ARGS, cwd $EXEC_DIR, stdin /dev/null, output
# logged line by line; after TIMEOUT seconds TERM, after EXEC_GRACE more KILL, to its whole process group. Sets
# EXEC_STATUS to its exit status.
exec__supervise() {
  local name=$1 timeout=$2 pid logger fd start t polls=0
  exec {fd}> >(exec__log_lines "$name")
  logger=${!:-}
  # env sets the variables (names are checked identifiers) and execs setsid, which, not being a process group leader
  # here, execs the script in place: it keeps this pid and leads its own group, which a timeout then signals as a
  # whole. $0 is ./NAME and the working directory $EXEC_DIR, as in Divingbell.
  # The script does not inherit the module's lock: a daemon it starts must not hold it after the run.
  {
    lock_drop
    exec env -- "${EXEC_ENVS[@]}" setsid "./$name" "${EXEC_ARGS[@]}" </dev/null >&"$fd" 2>&1 {fd}>&-
  } &
  pid=$!
  exec {fd}>&-
  start=$SECONDS
  while exec__alive "$pid"; do
    if [ $((SECONDS - start)) -gt "$timeout" ]; then
      log_error "Hit '$timeout' second timeout waiting for '$name' - terminating."
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      t=$SECONDS
      while exec__alive "$pid" && [ $((SECONDS - t)) -lt "$EXEC_GRACE" ]; do sleep 0.2; done
      if exec__alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
      break
    fi
    # Short scripts are noticed quickly, long ones polled less often.
    polls=$((polls + 1))
    if [ "$polls" -le 40 ]; then sleep 0.05; else sleep 0.5; fi
  done
  EXEC_STATUS=0
  wait "$pid" || EXEC_STATUS=$?
  # Let the logger print the script's last lines before the result line (it ends when the script's output closes).
  t=$SECONDS
  while [ -n "$logger" ] && exec__alive "$logger" && [ $((SECONDS - t)) -lt 2 ]; do sleep 0.05; done
}

# exec__background NAME DIR TIMEOUT: the supervisor of a background run, detached from the pod's output; records the
# exit code like a foreground run, then leaves background_done for the next loop to report.
exec__background() {
  local name=$1 dir=$2 timeout=$3
  trap - ERR
  set +o errexit
  # It runs on after the host script: the next run of the module must not wait for it.
  lock_drop
  exec </dev/null >"$dir/background.log" 2>&1
  exec__supervise "$name" "$timeout"
  exec__record_end "$dir" "$EXEC_STATUS"
  log_info "exec: ./$name ended with exit $EXEC_STATUS"
  : >"$dir/background_done"
  rm -f "$dir/background_pid"
}

module_lock exec
# ---- this node's settings ----
exec_begin 10-hugepages 5fceeff68ad84c9d5137f2d453ad39d6507a7294d26848c5e7afff24a02074df
# shellcheck disable=SC2016
exec_script 10-hugepages '#!/bin/bash
set -euo pipefail
echo "hugepages: $(cat /proc/sys/vm/nr_hugepages)"
'
exec_run 10-hugepages 5fceeff68ad84c9d5137f2d453ad39d6507a7294d26848c5e7afff24a02074df rerun_policy=once_successfully blocking_policy=foreground timeout=120 rerun_interval=infinity retry_interval=infinity rerun_interval_persist=true rerun_max_count=unlimited retry_interval_persist=true retry_max_count=unlimited --
done_summary exec
