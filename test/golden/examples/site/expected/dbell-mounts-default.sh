#!/bin/bash
# dbellc host script for module mounts. Generated; do not edit.
# ---- prelude: logging, failure handling and state helpers shared by every dbellc host script ----
set -o errexit -o nounset -o pipefail -o errtrace
umask 022
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DBELL_CHANGES=0

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
  if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then
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

# done_summary MODULE: the closing line of a successful run.
done_summary() {
  if [ "$DBELL_CHANGES" -eq 0 ]; then
    log INFO "$1: no changes; the node already matches the policy."
  else
    log INFO "$1: $DBELL_CHANGES change(s) applied."
  fi
}

# ---- module mounts ----
# mounts: one systemd .mount unit per mount in /etc/systemd/system, a copy of each in /var/divingbell/mounts
# (Divingbell's layout: the copies are how a later run knows which units it owns).
# Order: revert mounts no longer in the policy, record and write the wanted units, then mount and enable them.
MOUNTS_PERSIST=/etc/systemd/system
MOUNTS_NAME=()
MOUNTS_TARGET=()
MOUNTS_DEVICE=()
MOUNTS_TYPE=()
MOUNTS_OPTIONS=()
MOUNTS_BEFORE=()
MOUNTS_AFTER=()
MOUNTS_UNIT=()
# Per wanted mount: the unit file's previous text when this run rewrote it, and what the live mount needs.
MOUNTS_OLD=()
MOUNTS_ACTION=()
MOUNTS_FAILED=0

# mounts_add NAME TARGET DEVICE TYPE OPTIONS BEFORE AFTER: one wanted mount (OPTIONS empty: no Options= line).
mounts_add() {
  MOUNTS_NAME+=("$1")
  MOUNTS_TARGET+=("$2")
  MOUNTS_DEVICE+=("$3")
  MOUNTS_TYPE+=("$4")
  MOUNTS_OPTIONS+=("$5")
  MOUNTS_BEFORE+=("$6")
  MOUNTS_AFTER+=("$7")
}

# mounts_spec VALUE: VALUE for a unit file line; `%` starts a systemd specifier, so a literal one is written `%%`.
mounts_spec() {
  printf '%s' "${1//"%"/%%}"
}

# mounts_unit_text I: the unit file of wanted mount I, line for line as Divingbell writes it.
mounts_unit_text() {
  local i=$1 options_line=''
  if [ -n "${MOUNTS_OPTIONS[$i]}" ]; then
    options_line="Options=$(mounts_spec "${MOUNTS_OPTIONS[$i]}")"
  fi
  printf '[Unit]\nConflicts=umount.target\nBefore=%s\nAfter=%s\n\n[Mount]\nWhat=%s\nWhere=%s\nType=%s\n%s\n\n[Install]\nWantedBy=local-fs.target' \
    "${MOUNTS_BEFORE[$i]}" "${MOUNTS_AFTER[$i]}" "$(mounts_spec "${MOUNTS_DEVICE[$i]}")" \
    "$(mounts_spec "${MOUNTS_TARGET[$i]}")" "$(mounts_spec "${MOUNTS_TYPE[$i]}")" "$options_line"
}

# mounts_line TEXT KEY: the value of the first `KEY=` line of a unit text.
mounts_line() {
  local line
  while IFS= read -r line; do
    if [ "${line%%=*}" = "$2" ] && [ "$line" != "$2" ]; then
      printf '%s' "${line#*=}"
      return 0
    fi
  done <<<"$1"
  return 0
}

# mounts_wanted UNIT: whether the policy still holds UNIT.
mounts_wanted() {
  local u
  for u in "${MOUNTS_UNIT[@]}"; do
    [ "$u" = "$1" ] && return 0
  done
  return 1
}

# mounts_journal UNIT: the unit's last journal lines, which hold mount(8)'s own error message.
mounts_journal() {
  run journalctl --no-pager --quiet -n 5 -u "$1" || true
}

# mounts_revert STATE: unmounts and removes every unit recorded in STATE that the policy no longer holds.
# A mount that cannot be unmounted (busy) keeps its unit and its record, so a later run retries it.
mounts_revert() {
  local state=$1 copy unit where removed=()
  for copy in "$state"/*.mount; do
    [ -f "$copy" ] || continue
    unit=${copy##*/}
    mounts_wanted "$unit" && continue
    where=$(mounts_line "$(cat "$copy")" Where)
    where=${where//"%%"/%}
    if [ -f "$MOUNTS_PERSIST/$unit" ] || systemctl is-active --quiet "$unit"; then
      if ! run systemctl stop "$unit"; then
        mounts_journal "$unit"
        log_error "Cannot unmount ${where:-$unit} ($unit): it is busy or failed to unmount; it stays mounted and managed. Stop what uses it (fuser -vm ${where:-<target>}) and run again."
        MOUNTS_FAILED=$((MOUNTS_FAILED + 1))
        continue
      fi
    fi
    if [ -f "$MOUNTS_PERSIST/$unit" ]; then
      # --no-reload: one daemon-reload follows all removals.
      run systemctl disable --no-reload "$unit" || die "Cannot disable $unit."
      rm -f "$MOUNTS_PERSIST/$unit"
    fi
    # A unit file deleted by hand leaves its enablement symlinks behind.
    rm -f "$MOUNTS_PERSIST"/*.wants/"$unit" "$MOUNTS_PERSIST"/*.requires/"$unit"
    rm -f "$copy"
    removed+=("$unit")
    changed "Reverted mount: $unit (${where:-unknown target}: unmounted, unit disabled and removed)"
  done
  if [ "${#removed[@]}" -gt 0 ]; then
    systemctl daemon-reload
    # A unit that failed before its removal would otherwise linger as "not-found failed".
    systemctl reset-failed "${removed[@]}" >/dev/null 2>&1 || true
  fi
}

# mounts_write STATE: records and writes the unit of every wanted mount; decides what each live mount needs.
# The record in STATE is written first: a unit on the node is always one a later run can find and revert.
mounts_write() {
  local state=$1 i unit file text old reload=0
  for i in "${!MOUNTS_TARGET[@]}"; do
    unit=${MOUNTS_UNIT[$i]}
    file=$MOUNTS_PERSIST/$unit
    text=$(mounts_unit_text "$i")
    old=''
    [ -f "$file" ] && old=$(cat "$file")
    MOUNTS_OLD[i]=''
    MOUNTS_ACTION[i]=''
    if write_if_changed "$state/$unit" "$text" && [ "$old" = "$text" ]; then
      changed "Recorded the existing unit $unit as managed"
    fi
    [ -f "$file" ] && [ "$old" = "$text" ] && continue
    write_if_changed "$file" "$text" || true
    reload=1
    MOUNTS_OLD[i]=$old
    if [ -z "$old" ]; then
      changed "Mount unit written: $unit (${MOUNTS_TARGET[$i]})"
    elif [ "$(mounts_line "$old" What)|$(mounts_line "$old" Type)" != "$(mounts_line "$text" What)|$(mounts_line "$text" Type)" ]; then
      MOUNTS_ACTION[i]=restart
      changed "Mount unit updated: $unit (${MOUNTS_TARGET[$i]}; device or type changed)"
    elif [ "$(mounts_line "$old" Options)" != "$(mounts_line "$text" Options)" ]; then
      MOUNTS_ACTION[i]=remount
      changed "Mount unit updated: $unit (${MOUNTS_TARGET[$i]}; options changed)"
    else
      changed "Mount unit updated: $unit (ordering only; the mount stays as it is)"
    fi
  done
  if [ "$reload" -eq 1 ]; then
    systemctl daemon-reload
  fi
}

# mounts_undo STATE I: puts back the unit file that described mount I before this run, and its live mount.
mounts_undo() {
  local state=$1 i=$2 unit=${MOUNTS_UNIT[$2]}
  write_if_changed "$MOUNTS_PERSIST/$unit" "${MOUNTS_OLD[$i]}" || true
  write_if_changed "$state/$unit" "${MOUNTS_OLD[$i]}" || true
  systemctl daemon-reload
  systemctl is-active --quiet "$unit" || run systemctl start "$unit" || true
  log_warn "Restored the previous unit $unit; the node keeps its previous mount of ${MOUNTS_TARGET[$i]}."
}

# mounts_fail I MESSAGE: logs why mount I failed, with mount(8)'s message, and counts it.
mounts_fail() {
  mounts_journal "${MOUNTS_UNIT[$1]}"
  log_error "$2"
  MOUNTS_FAILED=$((MOUNTS_FAILED + 1))
}

# mounts_activate STATE I: mounts, remounts or restarts mount I as needed, and enables it for boot.
mounts_activate() {
  local state=$1 i=$2 unit=${MOUNTS_UNIT[$2]} target=${MOUNTS_TARGET[$2]}
  # A file is a valid mount point too (a bind mount of a file); only a missing one is created, as a directory.
  if [ ! -e "$target" ]; then
    mkdir -p "$target"
    changed "Created mount point $target"
  fi
  if ! systemctl is-active --quiet "$unit"; then
    if ! run systemctl start "$unit"; then
      mounts_fail "$i" "Mount failed: $unit (${MOUNTS_NAME[$i]}: ${MOUNTS_DEVICE[$i]} on $target, type ${MOUNTS_TYPE[$i]})"
      return 0
    fi
    changed "Mounted $target ($unit)"
  elif [ "${MOUNTS_ACTION[$i]}" = restart ] && [[ ${MOUNTS_DEVICE[$i]} == /* ]] && [ ! -e "${MOUNTS_DEVICE[$i]}" ]; then
    # Replacing a mount unmounts the old one first; a device that is not there would leave nothing mounted.
    log_error "Mount failed: $unit (${MOUNTS_NAME[$i]}: device ${MOUNTS_DEVICE[$i]} does not exist)"
    MOUNTS_FAILED=$((MOUNTS_FAILED + 1))
    mounts_undo "$state" "$i"
    return 0
  elif [ -n "${MOUNTS_ACTION[$i]}" ]; then
    # New options are applied by remounting in place, which works while the file system is in use;
    # a new device or type needs an unmount, which fails while it is busy.
    if [ "${MOUNTS_ACTION[$i]}" = remount ] && run systemctl reload "$unit"; then
      changed "Remounted $target with the new options ($unit)"
    elif run systemctl restart "$unit"; then
      changed "Mounted $target again ($unit)"
    else
      mounts_fail "$i" "Mount failed: $unit (${MOUNTS_NAME[$i]}: could not replace the mount on $target; is it busy?)"
      mounts_undo "$state" "$i"
      return 0
    fi
  fi
  unit_enable "$unit" "Mount persisting failed: $unit"
  log_info "Mount successfully verified: $target"
}

# mounts_finish: reverts, applies, and fails the run if any mount could not be made or removed.
mounts_finish() {
  local state i
  state=$(state_dir mounts)
  write_test "$MOUNTS_PERSIST"
  for i in "${!MOUNTS_TARGET[@]}"; do
    MOUNTS_UNIT[i]=$(systemd-escape -p --suffix=mount -- "${MOUNTS_TARGET[$i]}")
  done
  mounts_revert "$state"
  mounts_write "$state"
  for i in "${!MOUNTS_TARGET[@]}"; do
    mounts_activate "$state" "$i"
  done
  if [ "$MOUNTS_FAILED" -gt 0 ]; then
    die "$MOUNTS_FAILED mount(s) could not be applied or reverted; see the ERROR lines above. Nothing else was lost."
  fi
  if [ "${#MOUNTS_TARGET[@]}" -gt 0 ]; then
    log_info "All mounts successfully validated on this node."
  else
    log_info "No mounts defined for this node."
  fi
}
# ---- this node's settings ----
mounts_add scratch /var/lib/scratch tmpfs tmpfs size=2G,mode=1777,nosuid,nodev docker.service network-online.target
mounts_finish
done_summary mounts
