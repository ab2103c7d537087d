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
  f=$(mktemp "$1/.dbell-write-test.XXXXXX" 2>/dev/null) || die "Write test to $1 failed."
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

# ---- module perm ----
# perm: owner, group and mode of files and globs (spec §5.5), with Divingbell's state in /var/divingbell/perm:
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
declare -A PERM_KEEP=()

# perm_begin HASH POLICY INTERVAL: the configuration's hash, rerun_policy and rerun_interval.
perm_begin() {
  PERM_STATE=$(state_dir perm)
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
  local run="$PERM_STATE/$PERM_HASH" last now
  if [ ! -f "$run/exit_code" ] || [ "$(cat "$run/exit_code")" != 0 ]; then
    return 0
  fi
  if [ "$PERM_POLICY" != always ]; then
    log_info "perm: this configuration was applied already (rerun_policy $PERM_POLICY); nothing to do"
    return 1
  fi
  [ "$PERM_INTERVAL" != infinity ] || return 0
  last=$(cat "$run/last_run_timestamp" 2>/dev/null || true)
  [[ $last =~ ^[0-9]+$ ]] || return 0
  now=$(date +%s)
  if [ "$now" -ge $((last + PERM_INTERVAL)) ]; then
    return 0
  fi
  log_info "perm: next run due in $((last + PERM_INTERVAL - now)) s (rerun_interval $PERM_INTERVAL); nothing to do"
  return 1
}

# perm_check_accounts: dies before anything changes if an owner or group does not exist on this node.
perm_check_accounts() {
  local i
  for i in "${!PERM_PATTERNS[@]}"; do
    if [ -n "${PERM_OWNERS[i]}" ] && [[ ! ${PERM_OWNERS[i]} =~ ^[0-9]+$ ]] && ! getent passwd "${PERM_OWNERS[i]}" >/dev/null; then
      die "perm: user ${PERM_OWNERS[i]} (owner for ${PERM_PATTERNS[i]}) does not exist on this node; nothing was changed"
    fi
    if [ -n "${PERM_GROUPS[i]}" ] && [[ ! ${PERM_GROUPS[i]} =~ ^[0-9]+$ ]] && ! getent group "${PERM_GROUPS[i]}" >/dev/null; then
      die "perm: group ${PERM_GROUPS[i]} (group for ${PERM_PATTERNS[i]}) does not exist on this node; nothing was changed"
    fi
  done
}

# perm_glob PATTERN: prints the existing files PATTERN names, NUL-separated. Globbing only: IFS is empty, so a
# path with spaces stays one word (Divingbell word-split it).
perm_glob() {
  local IFS= f
  local -a found
  shopt -s nullglob
  # shellcheck disable=SC2206 # the pattern is expanded as a glob on purpose; with IFS empty it is never split
  found=($1)
  shopt -u nullglob
  for f in "${found[@]}"; do
    if [ -e "$f" ]; then printf '%s\0' "$f"; fi
  done
}

# perm_expand: collects the files of every entry; a path that is missing or a glob with no match is a warning, and
# so is a symbolic link, which is skipped unless the entry follows links (then its target is the file).
perm_expand() {
  local i j f target
  local -a found keys real
  for i in "${!PERM_PATTERNS[@]}"; do
    found=() real=()
    while IFS= read -r -d '' f; do
      if [[ $f == *$'\n'* ]]; then
        log_warn "perm: skipping a file with a newline in its name, matched by ${PERM_PATTERNS[i]}"
      elif [ -L "$f" ] && [ "${PERM_FOLLOW[i]}" != follow ]; then
        log_warn "perm: skipping $f, matched by ${PERM_PATTERNS[i]}: it is a symbolic link, which perm does not follow (set follow_symlinks = true to change its target)"
      elif [ -L "$f" ]; then
        target=$(readlink -e -- "$f") || { log_warn "perm: skipping $f: its link target does not exist"; continue; }
        found+=("$f") real+=("$target")
      else
        found+=("$f") real+=("$f")
      fi
    done < <(perm_glob "${PERM_PATTERNS[i]}")
    PERM_START[i]=${#PERM_FILES[@]}
    PERM_COUNT[i]=${#found[@]}
    if [ "${#found[@]}" -eq 0 ]; then
      log_warn "perm: nothing matches ${PERM_PATTERNS[i]}; skipped"
      continue
    fi
    # One systemd-escape for all matches (it prints them on one line; escaped names have no spaces): a glob can
    # match thousands of files, and this runs every minute.
    read -r -a keys < <(systemd-escape -- "${found[@]}")
    [ "${#keys[@]}" -eq "${#found[@]}" ] || die "perm: systemd-escape failed for the matches of ${PERM_PATTERNS[i]}"
    for j in "${!found[@]}"; do
      PERM_FILES+=("${real[j]}")
      PERM_FILE_KEY+=("${keys[j]}")
      PERM_KEEP[${keys[j]}]=1
    done
  done
}

# perm_batch CMD...: runs CMD on every path in PERM_BATCH, as many per call as fit (a glob may match thousands).
perm_batch() {
  [ "${#PERM_BATCH[@]}" -gt 0 ] || return 0
  printf '%s\0' "${PERM_BATCH[@]}" | xargs -0 -r "$@"
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

# perm_apply_entry I: records the originals of entry I's files once, then sets what it asks for, with one stat,
# chown, chmod and stat for all of them (a run every minute must stay cheap).
perm_apply_entry() {
  local i=$1 j f backup out
  local start=${PERM_START[i]} count=${PERM_COUNT[i]} owner=${PERM_OWNERS[i]} group=${PERM_GROUPS[i]} mode=${PERM_MODES[i]}
  local -a before after
  PERM_BATCH=("${PERM_FILES[@]:start:count}")
  perm_modes before
  for ((j = 0; j < count; j++)); do
    backup="$PERM_STATE/${PERM_FILE_KEY[start + j]}"
    # The original, taken once, in Divingbell's two lines: `<mode> <path>` and `<owner>:<group> <path>`.
    if [ ! -f "$backup" ]; then
      printf '%s %s\n%s %s\n' "${before[j]% *}" "${PERM_BATCH[j]}" "${before[j]#* }" "${PERM_BATCH[j]}" >"$backup"
    fi
  done
  # Owner first: chown clears the set-uid and set-gid bits of a file, so a mode like 4755 must be set after it.
  if [ -n "$owner$group" ]; then
    out=$(perm_batch chown -h -- "$owner${group:+:$group}" 2>&1) || die "perm: chown $owner${group:+:$group} on ${PERM_PATTERNS[i]} failed: $out"
  fi
  if [ -n "$mode" ]; then
    out=$(perm_batch chmod -- "$mode" 2>&1) || die "perm: chmod $mode on ${PERM_PATTERNS[i]} failed: $out"
  fi
  perm_modes after
  for ((j = 0; j < count; j++)); do
    f=${PERM_BATCH[j]}
    if [ "${before[j]}" != "${after[j]}" ]; then
      changed "Permissions applied: $f (${before[j]} -> ${after[j]})"
    else
      PERM_UNCHANGED=$((PERM_UNCHANGED + 1))
    fi
  done
}

# perm_finish: the run itself (see the top of this file); with no entries it reverts everything and clears the state.
perm_finish() {
  local i run="$PERM_STATE/$PERM_HASH"
  if [ "${#PERM_PATTERNS[@]}" -eq 0 ]; then
    perm_revert_unwanted
    perm_drop_runs
    log_warn "No perm overrides defined for this node."
    return 0
  fi
  perm_drop_runs "$PERM_HASH"
  perm_gate || return 0
  mkdir -p "$run"
  rm -f "$run/exit_code"
  date +%s >"$run/last_run_timestamp"
  perm_check_accounts
  perm_expand
  perm_revert_unwanted
  for i in "${!PERM_PATTERNS[@]}"; do
    [ "${PERM_COUNT[i]}" -eq 0 ] || perm_apply_entry "$i"
  done
  if [ "$PERM_UNCHANGED" -gt 0 ]; then
    log_info "No changes made to permissions of $PERM_UNCHANGED file(s): they already match"
  fi
  echo 0 >"$run/exit_code"
}

module_lock perm
# ---- this node's settings ----
perm_begin 4ee06a6050d3f4e1779cde828652e467da2b6c447e8599f9cceb5aeae11b8a1e always infinity
perm_path /etc/kubernetes/admin.conf root root 0600
perm_finish
done_summary perm
