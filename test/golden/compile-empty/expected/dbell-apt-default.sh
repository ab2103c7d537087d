#!/bin/bash
# dbellc host script for module apt. Generated; do not edit.
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

# ---- module apt ----
# apt: packages, debconf answers, upgrades, strict mode, white/blacklists and repositories (Divingbell's apt; docs/modules/apt.md).
# State keeps Divingbell's layout: /var/divingbell/apt/packages lists, sorted, the bare names of the packages this
# module installed, so it can purge them when the policy drops them. While the policy's repositories replace the
# node's apt sources, the node's own sources wait in /var/divingbell/apt/sources-backup. Debconf answers are never
# logged (some are passwords).

APT_RECORD=/var/divingbell/apt/packages
APT_STRICT=false
APT_UPGRADE=false
APT_DOWNGRADE=false
APT_UPDATED=false
APT_LISTS_STALE=false
APT_REQUESTED=()
APT_BLACKLIST=()
declare -A APT_VERSION=() APT_WHITE=() APT_INSTALLED=() APT_CONFIG_ONLY=() APT_PROTECTED=() APT_MINE=()
# The names in the record as read, when it was in the form apt__save_record writes (sorted bare names); else empty.
APT_RECORD_READ=()

# apt_begin strict=BOOL upgrade=BOOL allow_downgrade=BOOL: options, state directory, an interrupted dpkg run finished.
apt_begin() {
  local opt
  for opt in "$@"; do
    case $opt in
      strict=*) APT_STRICT=${opt#*=} ;;
      upgrade=*) APT_UPGRADE=${opt#*=} ;;
      allow_downgrade=*) APT_DOWNGRADE=${opt#*=} ;;
      *) die "apt: unknown option $opt" ;;
    esac
  done
  command -v apt-get >/dev/null || die "apt: apt-get not found; the apt module manages Debian-based hosts"
  dir_ready /var/divingbell/apt
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true APT_LISTCHANGES_FRONTEND=none
  local audit
  # `exec` here and below: the substitution's shell becomes the program instead of forking it (it stays for the ERR
  # trap it inherits).
  audit=$(exec dpkg --audit 2>&1) || :
  if [ -n "$audit" ]; then
    # Divingbell b98efc4: an interrupted dpkg run must not stop on conffile prompts.
    run dpkg --configure -a --force-confdef --force-confold || die "apt: dpkg --configure -a failed"
    changed "apt: finished an interrupted dpkg run"
  fi
}

# apt_debconf PACKAGE QUESTION TYPE ANSWER: sets a debconf answer unless the database already holds it.
apt_debconf() {
  local pkg=$1 question=$2 type=$3 answer=$4 current
  current=$(printf 'GET %s\n' "$question" | debconf-communicate 2>/dev/null || true)
  if [ "$current" = "0 $answer" ] || { [ -z "$answer" ] && [ "$current" = 0 ]; }; then
    return 0
  fi
  printf '%s %s %s %s\n' "$pkg" "$question" "$type" "$answer" | debconf-set-selections ||
    die "apt: debconf-set-selections failed for $question"
  changed "apt: set the debconf answer to $question"
}

# apt_package NAME VERSION: requests a package, at VERSION exactly or (empty) the newest available.
apt_package() {
  APT_REQUESTED+=("$1")
  APT_VERSION[$1]=$2
}

# apt_whitelist NAME...: packages never purged.
apt_whitelist() {
  local n
  for n in "$@"; do APT_WHITE[$n]=1; done
}

# apt_blacklist NAME...: packages purged whenever they are installed.
apt_blacklist() {
  APT_BLACKLIST=("$@")
}

# apt_apply: installs, upgrades, purges blacklisted packages, then the ones the policy dropped (or, strict, every one
# it does not list), and records what this module installed.
apt_apply() {
  apt__load_record
  apt__snapshot
  apt__install
  if [ "$APT_UPGRADE" = true ]; then apt__upgrade; fi
  apt__blacklist
  if [ "$APT_STRICT" = true ]; then apt__strict; else apt__drop_unrequested; fi
  apt__save_record
}

# apt__get ARGS...: apt-get, non-interactive, keeping changed conffiles, waiting for another apt run's lock.
apt__get() {
  run apt-get -y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# apt__update: apt-get update, once per run; after a sources change the old lists go first (Divingbell d657f79).
apt__update() {
  [ "$APT_UPDATED" = false ] || return 0
  if [ "$APT_LISTS_STALE" = true ]; then
    find /var/lib/apt/lists -mindepth 1 -maxdepth 1 -type f ! -name lock -delete
  fi
  apt__get update || die "apt: apt-get update failed (see the lines above)"
  APT_UPDATED=true
}

# apt__snapshot: installed packages and versions; packages with only their configuration left (`rc`) are not
# installed (Divingbell counted them as installed); essential and required ones are never purged.
apt__snapshot() {
  APT_INSTALLED=()
  APT_CONFIG_ONLY=()
  APT_PROTECTED=()
  local name version status essential priority
  while IFS='|' read -r name version status essential priority; do
    case $status in
      installed | triggers-awaited | triggers-pending)
        APT_INSTALLED[$name]=$version
        if [ "$essential" = yes ] || [ "$priority" = required ]; then APT_PROTECTED[$name]=1; fi
        ;;
      config-files) APT_CONFIG_ONLY[$name]=1 ;;
    esac
  done < <(exec dpkg-query -W -f='${Package}|${Version}|${db:Status-Status}|${Essential}|${Priority}\n')
}

# apt__present NAME: installed, or removed with its configuration left.
apt__present() {
  [ -n "${APT_INSTALLED[$1]+x}" ] || [ -n "${APT_CONFIG_ONLY[$1]+x}" ]
}

# apt__load_record: the packages this module installed. Divingbell wrote pinned ones as NAME=VERSION;
# they are read back as the bare name.
apt__load_record() {
  local line bare canonical=true last=
  APT_MINE=()
  APT_RECORD_READ=()
  [ -f "$APT_RECORD" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    bare=${line%%=*}
    bare=${bare%%:*}
    if [[ $bare =~ ^[a-z0-9][a-z0-9+.-]+$ ]]; then APT_MINE[$bare]=1; fi
    # [[ < ]] compares bytes under LC_ALL=C, as sort does.
    if [ -z "$line" ] || [ "$bare" != "$line" ] || [ -z "${APT_MINE[$line]+x}" ] || { [ -n "$last" ] && [[ ! $last < $line ]]; }; then
      canonical=false
    fi
    APT_RECORD_READ+=("$line")
    last=$line
  done <"$APT_RECORD"
  [ "$canonical" = true ] || APT_RECORD_READ=()
}

# apt__save_record: writes the record back, sorted, bare names only; no record when there is nothing in it.
apt__save_record() {
  local text name same=false
  # Unchanged (the common case, every minute): the record read holds exactly the names, in its written form.
  if [ "${#APT_RECORD_READ[@]}" -gt 0 ] && [ "${#APT_RECORD_READ[@]}" -eq "${#APT_MINE[@]}" ]; then
    same=true
    for name in "${APT_RECORD_READ[@]}"; do [ -n "${APT_MINE[$name]+x}" ] || same=false; done
  fi
  [ "$same" = false ] || return 0
  if [ "${#APT_MINE[@]}" -eq 0 ]; then
    [ ! -e "$APT_RECORD" ] || rm -f "$APT_RECORD"
    return 0
  fi
  text=$(printf '%s\n' "${!APT_MINE[@]}" | sed '/^$/d' | sort)
  if [ -z "$text" ]; then
    rm -f "$APT_RECORD"
  else
    file_put "$APT_RECORD" "$text"$'\n' 644 || :
  fi
}

# apt__versions: one line per package (name, version, status), to tell whether an apt run changed anything.
apt__versions() {
  dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' | sort
}

# apt__autoremovable [APT-OPTION]...: the packages `apt-get autoremove` would remove now, sorted.
apt__autoremovable() {
  apt-get -s "$@" autoremove | awk '$1 == "Remv" { print $2 }' | sort -u
}

# apt__removed_by ARGS...: the packages `apt-get ARGS` would remove or purge, from a simulation.
apt__removed_by() {
  apt-get -s "$@" | awk '$1 == "Remv" || $1 == "Purg" { print $2 }' | sort -u
}

# apt__install: installs requested packages that are missing or (pinned) at another version, in one apt-get run.
apt__install() {
  local -a set=() names=() opts=(install --no-install-recommends)
  local name want
  for name in "${APT_REQUESTED[@]}"; do
    want=${APT_VERSION[$name]}
    if [ -n "${APT_INSTALLED[$name]+x}" ]; then
      if [ -z "$want" ] || [ "${APT_INSTALLED[$name]}" = "$want" ]; then continue; fi
      if [ "$APT_DOWNGRADE" != true ] && dpkg --compare-versions "$want" lt "${APT_INSTALLED[$name]}"; then
        die "apt: $name $want is older than the installed ${APT_INSTALLED[$name]}; set \`apt allow_downgrade = true\` to downgrade"
      fi
    fi
    set+=("$name${want:+=$want}")
    names+=("$name")
  done
  if [ "${#set[@]}" -eq 0 ]; then
    [ "${#APT_REQUESTED[@]}" -eq 0 ] || log_info "apt: every requested package is installed"
    return 0
  fi
  apt__update
  apt__exact_names "${names[@]}"
  if [ "$APT_DOWNGRADE" = true ]; then opts+=(--allow-downgrades); fi
  apt__get "${opts[@]}" "${set[@]}" || die "apt: installing ${set[*]} failed (see the lines above)"
  for name in "${names[@]}"; do APT_MINE[$name]=1; done
  changed "apt: installed ${set[*]}"
  apt__snapshot
}

# apt__exact_names NAME...: dies unless every NAME is exactly the name of a package in the node's apt sources. apt-get
# would read `name-` as "remove name", `name+` as "install name", and `lib.+` as a pattern, when no package has that
# exact name; dbellc's check refuses these forms, and this keeps a script from elsewhere from slipping them through.
apt__exact_names() {
  local name
  for name in "$@"; do
    # Only `.`, `+` and a trailing `-` make apt-get read a valid name as something else.
    [[ $name =~ [.+]|-$ ]] || continue
    if ! apt-cache -o APT::Cache::AllNames=true pkgnames "$name" | grep -Fxq -- "$name"; then
      die "apt: no package is named exactly $name in the node's apt sources; nothing was installed (apt-get would read the name as a pattern or a remove/install request)"
    fi
  done
}

# apt__upgrade: dist-upgrade after the installs, as Divingbell does; a change only if a package changed.
apt__upgrade() {
  local before after
  apt__update
  before=$(apt__versions)
  apt__get dist-upgrade || die "apt: apt-get dist-upgrade failed (see the lines above)"
  after=$(apt__versions)
  if [ "$before" != "$after" ]; then
    changed "apt: dist-upgrade changed $(comm -3 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | awk '{ print $1 }' | sort -u | wc -l) package(s)"
    apt__snapshot
  else
    log_info "apt: dist-upgrade found nothing to upgrade"
  fi
  if [ -f /var/run/reboot-required ]; then log_warn "System reboot REQUIRED."; fi
}

# ---- module apt: apt-remove.sh ----
# apt removals: purges with the orphans they leave, the blacklist, packages the policy dropped and strict mode
# (docs/modules/apt.md).

# apt__purge_with_orphans NAME...: purges the packages and the automatically installed ones that only they needed;
# packages apt already considered unneeded before stay (Divingbell's --autoremove removed those too, 3cc1620).
apt__purge_with_orphans() {
  local -a before after orphans=()
  local -A had=()
  local n
  mapfile -t before < <(apt__autoremovable)
  for n in "${before[@]}"; do had[$n]=1; done
  apt__get purge "$@" || die "apt: purging $* failed (see the lines above)"
  mapfile -t after < <(apt__autoremovable)
  for n in "${after[@]}"; do [ -n "${had[$n]+x}" ] || orphans+=("$n"); done
  if [ "${#orphans[@]}" -gt 0 ]; then
    apt__get purge "${orphans[@]}" || die "apt: purging ${orphans[*]} failed (see the lines above)"
    changed "apt: purged ${orphans[*]}, no longer needed"
  fi
}

# apt__blacklist: purges blacklisted packages that are present, unless that would remove a requested package.
apt__blacklist() {
  local -a purge=() victims
  local -A removed=()
  local name
  for name in "${APT_BLACKLIST[@]}"; do
    apt__present "$name" || continue
    if [ -n "${APT_PROTECTED[$name]+x}" ]; then
      log_warn "apt: blacklisted $name is essential or required; not purged"
      continue
    fi
    purge+=("$name")
  done
  [ "${#purge[@]}" -gt 0 ] || return 0
  mapfile -t victims < <(apt__removed_by purge "${purge[@]}")
  for name in "${victims[@]}"; do removed[$name]=1; done
  for name in "${APT_REQUESTED[@]}"; do
    if [ -n "${removed[$name]+x}" ]; then
      die "apt: purging the blacklisted ${purge[*]} would also remove the requested package $name"
    fi
  done
  apt__purge_with_orphans "${purge[@]}"
  for name in "${purge[@]}"; do unset 'APT_MINE[$name]'; done
  changed "apt: purged blacklisted ${purge[*]}"
  apt__snapshot
}

# apt__drop_unrequested: the packages this module installed that the policy no longer requests are handed back to
# apt: marked automatically installed, they are purged with what only they needed, unless something installed still
# needs them. Whitelisted, essential and required packages are only forgotten, never purged.
apt__drop_unrequested() {
  local -a drop=() mark=() purge=() before after
  local -A had=() going=()
  local name
  # Most runs drop nothing: then no sort below.
  for name in "${!APT_MINE[@]}"; do
    if [ -z "${APT_VERSION[$name]+x}" ]; then drop+=("$name"); fi
  done
  [ "${#drop[@]}" -gt 0 ] || return 0
  drop=()
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    if [ -n "${APT_VERSION[$name]+x}" ]; then continue; fi
    unset 'APT_MINE[$name]'
    if [ -n "${APT_WHITE[$name]+x}" ]; then
      log_info "apt: $name is no longer requested but whitelisted; left installed"
    elif [ -n "${APT_PROTECTED[$name]+x}" ]; then
      log_warn "apt: $name is no longer requested but essential or required; left installed"
    elif [ -n "${APT_INSTALLED[$name]+x}" ]; then
      drop+=("$name")
      mark+=("$name")
    elif [ -n "${APT_CONFIG_ONLY[$name]+x}" ]; then
      drop+=("$name")
      purge+=("$name")
    fi
  done < <(printf '%s\n' "${!APT_MINE[@]}" | sort)
  [ "${#drop[@]}" -gt 0 ] || return 0
  mapfile -t before < <(apt__autoremovable)
  for name in "${before[@]}"; do had[$name]=1; done
  if [ "${#mark[@]}" -gt 0 ]; then run apt-mark auto "${mark[@]}" || die "apt: apt-mark auto ${mark[*]} failed"; fi
  mapfile -t after < <(apt__autoremovable)
  for name in "${after[@]}"; do
    if [ -z "${had[$name]+x}" ]; then
      purge+=("$name")
      going[$name]=1
    fi
  done
  for name in "${mark[@]}"; do
    if [ -z "${going[$name]+x}" ]; then changed "apt: $name is no longer requested; other packages need it, so it stays, marked automatically installed"; fi
  done
  if [ "${#purge[@]}" -gt 0 ]; then
    apt__get purge "${purge[@]}" || die "apt: purging ${purge[*]} failed (see the lines above)"
    changed "apt: purged ${purge[*]}, no longer requested"
  fi
  apt__snapshot
}

# apt__strict: every installed package that is not requested, whitelisted, essential or required is marked
# automatically installed, and apt purges those that none of the kept packages needs. (Divingbell purged each one
# outright, with --allow-remove-essential, taking down requested packages that depended on them.)
apt__strict() {
  local -a auto purge to_auto=() to_manual=() kept_base=()
  local -A is_auto=() keep=()
  local -a opts=(-o APT::AutoRemove::RecommendsImportant=false -o APT::AutoRemove::SuggestsImportant=false)
  local name
  for name in "${APT_REQUESTED[@]}"; do keep[$name]=1; done
  for name in "${!APT_WHITE[@]}"; do keep[$name]=1; done
  for name in "${!APT_PROTECTED[@]}"; do
    if [ -z "${keep[$name]+x}" ]; then kept_base+=("$name"); fi
    keep[$name]=1
  done
  mapfile -t auto < <(apt-mark showauto)
  for name in "${auto[@]}"; do is_auto[$name]=1; done
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    if [ -n "${keep[$name]+x}" ]; then
      if [ -n "${is_auto[$name]+x}" ]; then to_manual+=("$name"); fi
    elif [ -z "${is_auto[$name]+x}" ]; then
      to_auto+=("$name")
    fi
  done < <(printf '%s\n' "${!APT_INSTALLED[@]}" | sort)
  if [ "${#to_manual[@]}" -gt 0 ]; then
    run apt-mark manual "${to_manual[@]}" || die "apt: apt-mark manual failed"
    changed "apt: strict: marked ${to_manual[*]} as manually installed"
  fi
  if [ "${#to_auto[@]}" -gt 0 ]; then
    run apt-mark auto "${to_auto[@]}" || die "apt: apt-mark auto failed"
    changed "apt: strict: marked ${#to_auto[@]} unlisted package(s) as automatically installed"
  fi
  mapfile -t purge < <(apt__autoremovable "${opts[@]}")
  if [ "${#purge[@]}" -gt 0 ]; then
    apt__get autoremove --purge "${opts[@]}" || die "apt: strict: apt-get autoremove failed (see the lines above)"
    changed "apt: strict: purged ${purge[*]}"
  fi
  purge=()
  for name in "${!APT_CONFIG_ONLY[@]}"; do
    if [ -z "${keep[$name]+x}" ]; then purge+=("$name"); fi
  done
  if [ "${#purge[@]}" -gt 0 ]; then
    apt__get purge "${purge[@]}" || die "apt: strict: purging ${purge[*]} failed (see the lines above)"
    changed "apt: strict: purged the configuration left by ${purge[*]}"
  fi
  if [ "${#kept_base[@]}" -gt 0 ]; then
    log_info "apt: strict: kept ${#kept_base[@]} essential or required package(s) the policy does not list"
  fi
  apt__snapshot
  APT_MINE=()
  for name in "${APT_REQUESTED[@]}"; do
    if [ -n "${APT_INSTALLED[$name]+x}" ]; then APT_MINE[$name]=1; fi
  done
}

# ---- module apt: apt-sources.sh ----
# apt repositories: while the policy lists repositories they replace the node's apt sources; the node's own sources
# wait in /var/divingbell/apt/sources-backup and come back when the policy drops its repositories. The policy's keys
# become Divingbell's keyring file, /etc/apt/trusted.gpg.d/divingbell.gpg; other keys are never touched.
APT_BACKUP=/var/divingbell/apt/sources-backup
APT_KEYRING=/etc/apt/trusted.gpg.d/divingbell.gpg
APT_HEADER='#The list of repositories managed by Divingbell'

# apt_repositories SOURCES KEYRING_BASE64: the policy's repositories replace the node's apt sources; with SOURCES
# empty, sources set aside by an earlier run are put back.
apt_repositories() {
  local sources=$1 keyring=$2 f base
  if [ -z "$sources" ]; then
    apt__restore_sources
    return 0
  fi
  apt__backup_sources
  if file_put /etc/apt/sources.list "$sources" 644; then
    changed "apt: wrote /etc/apt/sources.list with the policy's repositories"
    APT_LISTS_STALE=true
  fi
  mkdir -p /etc/apt/sources.list.d
  while IFS= read -r -d '' f; do
    base=${f##*/}
    if [ ! -e "$APT_BACKUP/sources.list.d/$base" ] && [ ! -L "$APT_BACKUP/sources.list.d/$base" ]; then
      mv -f -- "$f" "$APT_BACKUP/sources.list.d/$base"
    elif cmp -s -- "$f" "$APT_BACKUP/sources.list.d/$base"; then
      rm -f -- "$f"
    else
      log_warn "apt: $f differs from the copy saved earlier; keeping the saved copy"
      rm -f -- "$f"
    fi
    changed "apt: set $f aside; the policy's repositories replace it"
    APT_LISTS_STALE=true
  done < <(find /etc/apt/sources.list.d -mindepth 1 -maxdepth 1 \( -type f -o -type l \) -print0)
  apt__install_keyring "$keyring"
  if [ "$APT_LISTS_STALE" = true ]; then apt__update; fi
}

# apt__backup_sources: saves the node's own sources once, before the policy's repositories first replace them.
apt__backup_sources() {
  [ ! -d "$APT_BACKUP" ] || return 0
  rm -rf "$APT_BACKUP.new"
  mkdir -p "$APT_BACKUP.new/sources.list.d"
  if [ -e /etc/apt/sources.list ]; then cp -a /etc/apt/sources.list "$APT_BACKUP.new/sources.list"; fi
  if [ -d /etc/apt/sources.list.d ]; then cp -a /etc/apt/sources.list.d/. "$APT_BACKUP.new/sources.list.d/"; fi
  mv "$APT_BACKUP.new" "$APT_BACKUP"
  changed "apt: saved the node's apt sources in $APT_BACKUP"
}

# apt__restore_sources: puts back the sources saved by apt__backup_sources and removes the policy's key.
apt__restore_sources() {
  [ -d "$APT_BACKUP" ] || return 0
  local f first=
  if [ -e "$APT_BACKUP/sources.list" ] || [ -L "$APT_BACKUP/sources.list" ]; then
    mv -f "$APT_BACKUP/sources.list" /etc/apt/sources.list
  elif [ -f /etc/apt/sources.list ]; then
    IFS= read -r first </etc/apt/sources.list || true
    if [ "$first" = "$APT_HEADER" ]; then rm -f /etc/apt/sources.list; fi
  fi
  mkdir -p /etc/apt/sources.list.d
  while IFS= read -r -d '' f; do
    mv -f -- "$f" "/etc/apt/sources.list.d/${f##*/}"
  done < <(find "$APT_BACKUP/sources.list.d" -mindepth 1 -maxdepth 1 -print0)
  rm -f "$APT_KEYRING"
  rm -rf "$APT_BACKUP"
  changed "apt: restored the node's own apt sources"
  APT_LISTS_STALE=true
  apt__update
}

# apt__install_keyring BASE64: the policy's keys as Divingbell's keyring file (no key: the file goes). Other keys stay.
apt__install_keyring() {
  local tmp="$APT_KEYRING.dbell-tmp" stray
  mkdir -p /etc/apt/trusted.gpg.d
  if [ -n "$1" ]; then
    printf '%s' "$1" | base64 -d >"$tmp" || die "apt: cannot decode the repository keys"
    if [ -f "$APT_KEYRING" ] && cmp -s "$tmp" "$APT_KEYRING"; then
      rm -f "$tmp"
    else
      chmod 644 "$tmp"
      mv -f "$tmp" "$APT_KEYRING"
      changed "apt: installed the repositories' keys as $APT_KEYRING"
      APT_LISTS_STALE=true
    fi
  elif [ -e "$APT_KEYRING" ]; then
    rm -f "$APT_KEYRING"
    changed "apt: removed $APT_KEYRING; no repository of the policy has a key"
    APT_LISTS_STALE=true
  fi
  # Divingbell before f0eb0b7 misspelt its keyring; those copies are its own leftovers.
  for stray in /etc/apt/trusted.gpg.d/divindbell.gpg /etc/apt/trusted.gpg.d/divindbell_temp.gpg; do
    if [ -e "$stray" ]; then
      rm -f "$stray"
      changed "apt: removed $stray, left by an old Divingbell"
    fi
  done
}

module_lock apt
# ---- this node's settings ----
apt_begin strict=false upgrade=false allow_downgrade=false
apt_repositories '' ''
apt_blacklist inetutils-telnetd nis ntpdate telnetd telnetd-ssl
apt_apply
done_summary apt
