#!/bin/bash
# dbellc host script for module apparmor. Generated; do not edit.
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

# ---- module apparmor ----
# apparmor: profiles saved in /var/divingbell/apparmor/NAME, linked as /etc/apparmor.d/NAME, loaded with apparmor_parser.
# Every profile is compile-checked before it replaces the saved one, so a bad text never reaches /etc/apparmor.d.
# A profile is reloaded only when its file or the mode changed since it was last loaded in this boot.

APPARMOR_SAVED=/var/divingbell/apparmor
# One stamp per loaded profile: the boot, the file's checksum and the mode it was loaded with.
APPARMOR_LOADED=/var/divingbell/apparmor-loaded
APPARMOR_ETC=/etc/apparmor.d
APPARMOR_FEATURES=/usr/share/apparmor-features/features

# apparmor_check_name NAME: dies unless NAME is a plain file name (the compiler checked it; this guards the paths).
apparmor_check_name() {
  case $1 in
    '' | .* | */*) die "Invalid AppArmor profile file name: $1" ;;
  esac
}

# apparmor_enabled: whether this kernel has AppArmor enabled, with its interface mounted.
apparmor_enabled() {
  [ -r /sys/module/apparmor/parameters/enabled ] && [ "$(cat /sys/module/apparmor/parameters/enabled)" = Y ] &&
    [ -d /sys/kernel/security/apparmor ]
}

# apparmor_parse_check NAME FILE: compiles FILE without loading it; dies naming NAME with the parser's message.
apparmor_parse_check() {
  local out
  local -a features=()
  # Without AppArmor in the kernel there are no kernel features to compile against; use the packaged feature set.
  if ! apparmor_enabled && [ -e "$APPARMOR_FEATURES" ]; then features=(-M "$APPARMOR_FEATURES"); fi
  if ! out=$(apparmor_parser -Q -K "${features[@]}" "$2" 2>&1); then
    rm -f "$2"
    die "AppArmor profile $1 does not compile; nothing was changed for it: $out"
  fi
}

# apparmor_install NAME TEXT: compile-checks TEXT, saves it as /var/divingbell/apparmor/NAME and links it into /etc/apparmor.d.
apparmor_install() {
  local name=$1 text=$2 saved link
  apparmor_check_name "$name"
  command -v apparmor_parser >/dev/null || die "Cannot install AppArmor profile $name: apparmor_parser not found (install the apparmor package)."
  [ -d "$APPARMOR_ETC" ] || die "Cannot install AppArmor profile $name: $APPARMOR_ETC does not exist (install the apparmor package)."
  state_dir apparmor >/dev/null
  saved="$APPARMOR_SAVED/$name"
  link="$APPARMOR_ETC/$name"
  if { [ -e "$link" ] || [ -L "$link" ]; } && [ "$(readlink "$link")" != "$saved" ]; then
    die "Refusing to replace $link: it exists and is not a link to $saved."
  fi
  # The text is written exactly as given (printf, no escape processing), final newlines included. It is checked
  # outside $APPARMOR_SAVED, where every file is taken for a profile (a killed run's copy is removed by the next).
  if ! file_holds "$saved" "$text"; then
    file_stage "$saved" "$text" 0644 "/var/divingbell/.apparmor-$name.dbell-tmp"
    apparmor_parse_check "$name" "$FILE_TMP"
    file_commit "$saved"
    changed "AppArmor profile $name: saved $saved."
  else
    log_info "AppArmor profile $name: $saved unchanged."
  fi
  if [ ! -L "$link" ]; then
    ln -s "$saved" "$link"
    changed "AppArmor profile $name: linked $link."
  fi
}

# apparmor_finish enforce|complain [NAME...]: removes the stale profiles, then loads the NAMEs. Stale ones go first:
# unloading a stale file removes the profile names it declares, which a renamed file may declare again.
apparmor_finish() {
  local mode=$1
  shift
  apparmor_remove_stale "$@"
  apparmor_load "$mode" "$@"
}

# apparmor_remove_stale [NAME...]: unloads and removes every saved profile that is not among the NAMEs.
apparmor_remove_stale() {
  local f name out stale=0
  # Temporary copies left by a run that was killed while checking a profile.
  rm -f /var/divingbell/.apparmor-*
  [ -d "$APPARMOR_SAVED" ] || return 0
  for f in "$APPARMOR_SAVED"/*; do
    [ -f "$f" ] || continue
    name=${f##*/}
    in_list "$name" "$@" && continue
    if apparmor_enabled; then
      if ! out=$(apparmor_parser -R "$f" 2>&1); then
        case $out in
          *"doesn't exist"*) log_info "AppArmor profile $name was not loaded." ;;
          *) die "Problem unloading profile $f: $out" ;;
        esac
      fi
    else
      log_info "AppArmor is not enabled in this kernel; stale profile $name is not loaded."
    fi
    if [ -L "$APPARMOR_ETC/$name" ] && [ "$(readlink "$APPARMOR_ETC/$name")" = "$f" ]; then
      rm -f "$APPARMOR_ETC/$name"
    fi
    rm -f "$f" "$APPARMOR_LOADED/$name"
    printf 'apparmor: stale profile %s\n' "$f" >>/var/run/reboot-required.pkgs
    changed "AppArmor profile $name: removed from the policy; unloaded and deleted."
    stale=1
  done
  if [ "$stale" = 1 ]; then
    printf '%s\n' '*** System restart required ***' >/var/run/reboot-required
    log_info "Stale AppArmor profiles were removed; processes they confined keep their old confinement until restarted (reboot-required written)."
  fi
}

# apparmor_load enforce|complain [NAME...]: loads each linked profile unless it is loaded already as it is now.
apparmor_load() {
  local mode=$1 name want boot sum
  local -a flags=(-r -W)
  shift
  case $mode in
    complain) flags+=(-C) ;;
    enforce) ;;
    *) die "Invalid AppArmor mode: $mode" ;;
  esac
  [ "$#" -gt 0 ] || return 0
  boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || printf 'unknown')
  for name in "$@"; do
    sum=$(sha256sum <"$APPARMOR_SAVED/$name")
    want="boot=$boot sha256=${sum%% *} mode=$mode"
    if [ -f "$APPARMOR_LOADED/$name" ] && [ "$(cat "$APPARMOR_LOADED/$name")" = "$want" ]; then
      log_info "AppArmor profile $name: already loaded ($mode), unchanged."
      continue
    fi
    apparmor_enabled ||
      die "Cannot load $APPARMOR_ETC/$name: AppArmor is not enabled in this node's kernel (the profile is saved and linked, and loads at boot on a kernel with AppArmor)."
    if ! run apparmor_parser "${flags[@]}" "$APPARMOR_ETC/$name"; then
      rm -f "$APPARMOR_LOADED/$name"
      die "Problem loading $APPARMOR_ETC/$name"
    fi
    mkdir -p "$APPARMOR_LOADED"
    printf '%s\n' "$want" >"$APPARMOR_LOADED/$name"
    changed "AppArmor profile $name: loaded ($mode)."
  done
}

module_lock apparmor
# ---- this node's settings ----
apparmor_finish enforce
done_summary apparmor
