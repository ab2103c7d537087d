#!/bin/bash
# dbellc host script for module perm. Generated; do not edit.
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

# ---- module perm ----
# perm: owner, group and mode of files and globs (docs/modules/perm.md), with Divingbell's state in /var/divingbell/perm:
#   /var/divingbell/perm/<systemd-escape PATH>   the original, taken once: `<octal mode> <path>` / `<uid>:<gid> <path>`
#   /var/divingbell/perm/<hash>/{exit_code,last_run_timestamp}   the run record of one configuration (its sha256)
# Order of a run: gate, check every owner and group, expand the globs, revert what left the policy, then apply.
# Symbolic links are not followed (a user who can write in a matched folder could point one at /etc/shadow): a
# matched link is skipped with a WARN, owners are set with `chown -h`, and a backup whose path became a link is not
# restored. An entry with `follow_symlinks = true` works on the links' targets instead, and backs the targets up.

PERM_STATE=
PERM_HASH=
PERM_POLICY=
PERM_INTERVAL=
declare -a PERM_PATTERNS=() PERM_OWNERS=() PERM_GROUPS=() PERM_MODES=() PERM_FOLLOW=()
# Files matched in this run with their backup names; entry I's are PERM_COUNT[I] of them from PERM_START[I].
declare -a PERM_FILES=() PERM_FILE_KEY=() PERM_START=() PERM_COUNT=() PERM_BATCH=()
PERM_UNCHANGED=0
declare -A PERM_KEEP=() PERM_UID=() PERM_GID=()
# Set by perm_glob: the existing files a pattern names.
declare -a PERM_GLOBBED=()

# perm_begin HASH POLICY INTERVAL: the configuration's hash, rerun_policy and rerun_interval.
perm_begin() {
  PERM_STATE=/var/divingbell/perm
  dir_ready "$PERM_STATE"
  PERM_HASH=$1
  PERM_POLICY=$2
  PERM_INTERVAL=$3
}

# perm_path PATTERN OWNER GROUP MODE [follow]: one entry; an empty OWNER, GROUP or MODE is left alone. With `follow`,
# matched symbolic links stand for their targets.
perm_path() {
  PERM_PATTERNS+=("$1")
  PERM_OWNERS+=("$2")
  PERM_GROUPS+=("$3")
  PERM_MODES+=("$4")
  PERM_FOLLOW+=("${5:-}")
}

# perm_drop_runs [KEEP]: deletes the run records of every configuration but KEEP (they can never match again).
perm_drop_runs() {
  local d name
  for d in "$PERM_STATE"/*/; do
    name=${d%/}
    name=${name##*/}
    [[ $name =~ ^[0-9a-f]{64}$ ]] || continue
    [ "$name" != "${1:-}" ] || continue
    rm -rf -- "${d%/}"
  done
}

# perm_gate: status 0 when this configuration is due to run (Divingbell's gate, keyed by the real config hash).
perm_gate() {
  local run="$PERM_STATE/$PERM_HASH"
  if ! run_record_exit "$run" || [ "$RUN_EXIT" != 0 ]; then
    return 0
  fi
  if [ "$PERM_POLICY" != always ]; then
    log_info "perm: this configuration was applied already (rerun_policy $PERM_POLICY); nothing to do"
    return 1
  fi
  run_record_due "$run" "$PERM_INTERVAL" && return 0
  log_info "perm: next run due in $RUN_WAIT s (rerun_interval $PERM_INTERVAL); nothing to do"
  return 1
}

# perm_check_accounts: dies before anything changes if an owner or group does not exist on this node; records the
# uid and gid of each name in PERM_UID and PERM_GID, with one getent for all users and one for all groups.
perm_check_accounts() {
  local i name
  local -A users=() groups=()
  for i in "${!PERM_PATTERNS[@]}"; do
    name=${PERM_OWNERS[i]}
    if [ -n "$name" ] && [[ ! $name =~ ^[0-9]+$ ]]; then users[$name]=1; fi
    name=${PERM_GROUPS[i]}
    if [ -n "$name" ] && [[ ! $name =~ ^[0-9]+$ ]]; then groups[$name]=1; fi
  done
  perm__ids passwd PERM_UID "${!users[@]}"
  perm__ids group PERM_GID "${!groups[@]}"
  for i in "${!PERM_PATTERNS[@]}"; do
    name=${PERM_OWNERS[i]}
    if [ -n "$name" ] && [[ ! $name =~ ^[0-9]+$ ]] && [ -z "${PERM_UID[$name]+set}" ]; then
      die "perm: user $name (owner for ${PERM_PATTERNS[i]}) does not exist on this node; nothing was changed"
    fi
    name=${PERM_GROUPS[i]}
    if [ -n "$name" ] && [[ ! $name =~ ^[0-9]+$ ]] && [ -z "${PERM_GID[$name]+set}" ]; then
      die "perm: group $name (group for ${PERM_PATTERNS[i]}) does not exist on this node; nothing was changed"
    fi
  done
}

# perm__ids DATABASE ARRAY NAME...: ARRAY[NAME] is the id of every NAME that `getent DATABASE` knows (one getent call;
# it exits 2 when some name is unknown, which perm_check_accounts reports by name).
perm__ids() {
  local db=$1 name id _
  local -n ids=$2
  shift 2
  [ "$#" -gt 0 ] || return 0
  # `exec`: the substitution's shell becomes getent instead of forking it (it stays for the ERR trap it inherits).
  while IFS=: read -r name _ id _; do
    # shellcheck disable=SC2034 # ids is the caller's array (a nameref)
    if [ -n "${name:-}" ] && [[ ${id:-} =~ ^[0-9]+$ ]]; then ids["$name"]=$id; fi
  done < <(exec getent "$db" -- "$@")
}

# perm_glob PATTERN: sets PERM_GLOBBED to the existing files PATTERN names. Globbing only: IFS is empty, so a path
# with spaces stays one word (Divingbell word-split it).
perm_glob() {
  local IFS= f
  local -a found
  PERM_GLOBBED=()
  shopt -s nullglob
  # shellcheck disable=SC2206 # the pattern is expanded as a glob on purpose; with IFS empty it is never split
  found=($1)
  shopt -u nullglob
  for f in "${found[@]}"; do
    if [ -e "$f" ]; then PERM_GLOBBED+=("$f"); fi
  done
}

# perm_expand: collects the files of every entry; a path that is missing or a glob with no match is a warning, and
# so is a symbolic link, which is skipped unless the entry follows links (then its target is the file). The backup
# names of all files come from one systemd-escape run (a glob can match thousands of files, and this runs every
# minute).
perm_expand() {
  local i j f target
  local -a found keys=() line
  for i in "${!PERM_PATTERNS[@]}"; do
    perm_glob "${PERM_PATTERNS[i]}"
    PERM_START[i]=${#PERM_FILES[@]}
    found=()
    for f in "${PERM_GLOBBED[@]}"; do
      if [[ $f == *$'\n'* ]]; then
        log_warn "perm: skipping a file with a newline in its name, matched by ${PERM_PATTERNS[i]}"
      elif [ -L "$f" ] && [ "${PERM_FOLLOW[i]}" != follow ]; then
        log_warn "perm: skipping $f, matched by ${PERM_PATTERNS[i]}: it is a symbolic link, which perm does not follow (set follow_symlinks = true to change its target)"
      elif [ -L "$f" ]; then
        target=$(readlink -e -- "$f") || { log_warn "perm: skipping $f: its link target does not exist"; continue; }
        found+=("$f") PERM_FILES+=("$target")
      else
        found+=("$f") PERM_FILES+=("$f")
      fi
    done
    PERM_COUNT[i]=${#found[@]}
    PERM_BATCH+=("${found[@]}")
    if [ "${#found[@]}" -eq 0 ]; then
      log_warn "perm: nothing matches ${PERM_PATTERNS[i]}; skipped"
    fi
  done
  [ "${#PERM_BATCH[@]}" -gt 0 ] || return 0
  # systemd-escape prints its arguments' names on one line; escaped names have no spaces. xargs may split the list.
  while read -r -a line; do keys+=("${line[@]}"); done < <(perm_batch systemd-escape --)
  [ "${#keys[@]}" -eq "${#PERM_BATCH[@]}" ] || die "perm: systemd-escape failed for the matched files"
  for j in "${!keys[@]}"; do
    PERM_FILE_KEY+=("${keys[j]}")
    PERM_KEEP[${keys[j]}]=1
  done
  PERM_BATCH=()
}

# perm_batch CMD...: runs CMD on every path in PERM_BATCH, as many per call as fit (a glob may match thousands).
perm_batch() {
  [ "${#PERM_BATCH[@]}" -gt 0 ] || return 0
  local f size=0
  for f in "${PERM_BATCH[@]}"; do size=$((size + ${#f} + 1)); done
  # Well below the kernel's limit on arguments: one direct call, without printf and xargs, in the common case.
  if [ "$size" -le 65536 ]; then
    "$@" "${PERM_BATCH[@]}"
  else
    printf '%s\0' "${PERM_BATCH[@]}" | xargs -0 -r "$@"
  fi
}

# perm_modes ARRAY: the `<mode> <uid>:<gid>` of every path in PERM_BATCH, one each, into ARRAY (a path that became a
# symbolic link since perm_expand reads as its target, which chmod would change).
perm_modes() {
  local -n into=$1
  mapfile -t into < <(perm_batch stat -L -c '%a %u:%g' --)
  [ "${#into[@]}" -eq "${#PERM_BATCH[@]}" ] || die "perm: cannot read the mode and owner of ${PERM_BATCH[*]:0:3}..."
}

# perm_revert_unwanted: puts back the original mode and owner of every file with a backup that no entry matches any
# more, then deletes the backup. Files are grouped by original mode and by original owner, so removing a glob of
# thousands of files costs a few chmod and chown calls.
perm_revert_unwanted() {
  local backup line1 line2 file mode owner j out
  local -a files=() modes=() owners=() backups=() finished=() before=() after=()
  local -A by_mode=() by_owner=() failed=()
  for backup in "$PERM_STATE"/-*; do
    [ -f "$backup" ] || continue
    [ -z "${PERM_KEEP[${backup##*/}]+set}" ] || continue
    line1='' line2=''
    { IFS= read -r line1 && IFS= read -r line2; } <"$backup" || true
    mode=${line1%% *} file=${line1#* } owner=${line2%% *}
    if [[ $file != /* || ! $mode =~ ^[0-7]{1,4}$ || ! $owner =~ ^[^:[:space:]]+:[^:[:space:]]+$ ]]; then
      log_warn "perm: $backup is not a backup this script can read; left in place"
    elif [ -L "$file" ]; then
      # It was a file when backed up; whoever replaced it with a link must not get root to change the link's target.
      log_warn "Unable to revert permissions on $file: it is now a symbolic link, which perm does not follow"
      finished+=("$backup")
    elif [ ! -e "$file" ]; then
      log_warn "Unable to revert permissions on $file: it no longer exists"
      finished+=("$backup")
    else
      files+=("$file") modes+=("$mode") owners+=("$owner") backups+=("$backup")
      by_mode[$mode]+="$file"$'\n'
      by_owner[$owner]+="$file"$'\n'
    fi
  done
  if [ "${#files[@]}" -gt 0 ]; then
    PERM_BATCH=("${files[@]}")
    perm_modes before
    # Owner first: chown clears the set-uid and set-gid bits of a file, so chmod must come after it.
    for owner in "${!by_owner[@]}"; do
      out=$(printf '%s' "${by_owner[$owner]}" | xargs -d '\n' -r chown -h -- "$owner" 2>&1) ||
        { failed[o$owner]=1 && log_warn "Unable to revert owner $owner: $out"; }
    done
    for mode in "${!by_mode[@]}"; do
      # Five digits: the leading 0 also clears a directory's set-id bits, which `chmod 755` would keep.
      out=$(printf '%s' "${by_mode[$mode]}" | xargs -d '\n' -r chmod -- "0$(printf '%04o' "$((8#$mode))")" 2>&1) ||
        { failed[m$mode]=1 && log_warn "Unable to revert mode $mode: $out"; }
    done
    perm_modes after
    for j in "${!files[@]}"; do
      if [ -n "${failed[m${modes[j]}]+set}${failed[o${owners[j]}]+set}" ]; then
        log_warn "Unable to revert permissions on ${files[j]}; its backup stays for the next run"
        continue
      fi
      if [ "${before[j]}" != "${after[j]}" ]; then
        changed "Reverted permissions and owner: ${files[j]} (${before[j]} -> ${after[j]})"
      else
        log_info "perm: ${files[j]} left the policy with its original mode and owner (${after[j]})"
      fi
      finished+=("${backups[j]}")
    done
  fi
  PERM_BATCH=("${finished[@]}")
  perm_batch rm -f --
}

# perm_finish: the run itself (see the top of this file); with no entries it reverts everything and clears the state.
perm_finish() {
  local run="$PERM_STATE/$PERM_HASH"
  if [ "${#PERM_PATTERNS[@]}" -eq 0 ]; then
    perm_revert_unwanted
    perm_drop_runs
    log_warn "No perm overrides defined for this node."
    return 0
  fi
  perm_drop_runs "$PERM_HASH"
  perm_gate || return 0
  [ -d "$run" ] || mkdir -p "$run"
  run_record_start "$run"
  perm_check_accounts
  perm_expand
  perm_revert_unwanted
  perm_apply
  if [ "$PERM_UNCHANGED" -gt 0 ]; then
    log_info "No changes made to permissions of $PERM_UNCHANGED file(s): they already match"
  fi
  run_record_end "$run" 0
}

# ---- module perm: perm-apply.sh ----
# perm, applying: which matched files already have what their entry asks for (from one stat of them all), and
# chown, chmod and a stat for the rest, batched. perm.sh has the state layout and the order of a run.

# perm_apply: one stat over every matched file, its original recorded once (Divingbell's two lines: `<mode> <path>`
# and `<owner>:<group> <path>`), and only the files that differ from what their entry asks for go on to
# perm_apply_entry: a run that changes nothing spawns no chown, chmod or stat per entry. A symbolic mode, or a file an
# earlier entry changes in this run, always goes on (perm_apply_entry then tells whether anything changed). When no
# file is matched by two entries, the order of entries does not matter, and entries that ask for the same owner,
# group and mode are applied together: a first run of 100 paths costs a few processes per distinct setting, not per
# path.
perm_apply() {
  local i j f backup uid gid mode key what overlap=0
  local -a before pending=() keys=() entries files
  local -A dirty=() seen=() by_setting=()
  PERM_BATCH=("${PERM_FILES[@]}")
  perm_modes before
  for j in "${!PERM_FILES[@]}"; do
    backup="$PERM_STATE/${PERM_FILE_KEY[j]}"
    if [ ! -f "$backup" ]; then
      printf '%s %s\n%s %s\n' "${before[j]% *}" "${PERM_FILES[j]}" "${before[j]#* }" "${PERM_FILES[j]}" >"$backup"
    fi
  done
  # Which files of each entry differ (PENDING[I], indexes into PERM_FILES).
  for i in "${!PERM_PATTERNS[@]}"; do
    pending[i]=''
    uid=${PERM_OWNERS[i]} gid=${PERM_GROUPS[i]} mode=${PERM_MODES[i]}
    [ -z "$uid" ] || [[ $uid =~ ^[0-9]+$ ]] || uid=${PERM_UID[$uid]}
    [ -z "$gid" ] || [[ $gid =~ ^[0-9]+$ ]] || gid=${PERM_GID[$gid]}
    for ((j = PERM_START[i]; j < PERM_START[i] + PERM_COUNT[i]; j++)); do
      f=${PERM_FILES[j]}
      if [ -n "${seen[$f]+set}" ]; then overlap=1; fi
      seen[$f]=1
      if [ -n "${dirty[$f]+set}" ] || ! perm__in_place "${before[j]}" "$uid" "$gid" "$mode" "$f"; then
        pending[i]+=" $j"
        dirty[$f]=1
      else
        PERM_UNCHANGED=$((PERM_UNCHANGED + 1))
      fi
    done
  done
  for i in "${!PERM_PATTERNS[@]}"; do
    [ -n "${pending[i]}" ] || continue
    if [ "$overlap" -eq 1 ]; then
      # shellcheck disable=SC2086 # a list of numbers, split on purpose
      perm_apply_entry "$i" "${PERM_PATTERNS[i]}" ${pending[i]}
      continue
    fi
    key="${PERM_OWNERS[i]}|${PERM_GROUPS[i]}|${PERM_MODES[i]}"
    if [ -z "${by_setting[$key]+set}" ]; then keys+=("$key"); fi
    by_setting[$key]+="${by_setting[$key]:+,}$i"
  done
  [ "$overlap" -eq 0 ] || return 0
  for key in "${keys[@]}"; do
    files=()
    IFS=, read -r -a entries <<<"${by_setting[$key]}"
    for i in "${entries[@]}"; do
      # shellcheck disable=SC2206 # a list of numbers, split on purpose
      files+=(${pending[i]})
    done
    what=${PERM_PATTERNS[entries[0]]}
    if [ "${#entries[@]}" -gt 1 ]; then what+=" and $((${#entries[@]} - 1)) more path(s) with the same settings"; fi
    perm_apply_entry "${entries[0]}" "$what" "${files[@]}"
  done
}

# perm__in_place STAT UID GID MODE FILE: status 0 when FILE, whose `stat -c '%a %u:%g'` is STAT, already has the
# owner UID, group GID and octal MODE (each empty: anything). chmod keeps a directory's set-uid and set-gid bits unless
# the mode has five digits, so those bits of a directory are compared only then.
perm__in_place() {
  local cur=$1 uid=$2 gid=$3 mode=$4 f=$5 have want
  local owner=${cur#* }
  [ -z "$uid" ] || [ "${owner%:*}" = "$((10#$uid))" ] || return 1
  [ -z "$gid" ] || [ "${owner#*:}" = "$((10#$gid))" ] || return 1
  [ -n "$mode" ] || return 0
  [[ $mode =~ ^0?[0-7]{1,4}$ ]] || return 1
  have=$((8#${cur%% *}))
  want=$((8#$mode))
  if [ -d "$f" ] && [ "${#mode}" -lt 5 ]; then want=$((want | (have & 8#6000))); fi
  [ "$have" -eq "$want" ]
}

# perm_apply_entry I WHAT J...: sets what entry I asks for on the files PERM_FILES[J] (ones that differ), with one
# stat, chown, chmod and stat for all of them; WHAT names the paths in a failure.
perm_apply_entry() {
  local i=$1 what=$2 j f out
  shift 2
  local owner=${PERM_OWNERS[i]} group=${PERM_GROUPS[i]} mode=${PERM_MODES[i]}
  local -a before after
  PERM_BATCH=()
  for j in "$@"; do PERM_BATCH+=("${PERM_FILES[j]}"); done
  perm_modes before
  # Owner first: chown clears the set-uid and set-gid bits of a file, so a mode like 4755 must be set after it.
  if [ -n "$owner$group" ]; then
    out=$(perm_batch chown -h -- "$owner${group:+:$group}" 2>&1) || die "perm: chown $owner${group:+:$group} on $what failed: $out"
  fi
  if [ -n "$mode" ]; then
    out=$(perm_batch chmod -- "$mode" 2>&1) || die "perm: chmod $mode on $what failed: $out"
  fi
  perm_modes after
  for j in "${!PERM_BATCH[@]}"; do
    f=${PERM_BATCH[j]}
    if [ "${before[j]}" != "${after[j]}" ]; then
      changed "Permissions applied: $f (${before[j]} -> ${after[j]})"
    else
      PERM_UNCHANGED=$((PERM_UNCHANGED + 1))
    fi
  done
}

module_lock perm
# ---- this node's settings ----
perm_begin 4ee06a6050d3f4e1779cde828652e467da2b6c447e8599f9cceb5aeae11b8a1e always infinity
perm_path /etc/kubernetes/admin.conf root root 0600
perm_finish
done_summary perm
