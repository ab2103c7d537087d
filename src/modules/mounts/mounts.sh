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
# Helper results (returned through globals: no `$(...)` process per mount); the live state of each wanted mount is
# the prelude's UNIT_ACTIVE and UNIT_ENABLED.
MOUNTS_SPEC='' MOUNTS_TEXT='' MOUNTS_LINE=''

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

# mounts_spec VALUE: sets MOUNTS_SPEC to VALUE for a unit file line; `%` starts a systemd specifier, so a literal one
# is written `%%`.
mounts_spec() {
  MOUNTS_SPEC=${1//"%"/%%}
}

# mounts_unit_text I: sets MOUNTS_TEXT to the unit file of wanted mount I, line for line as Divingbell writes it.
mounts_unit_text() {
  local i=$1 options_line='' what where
  if [ -n "${MOUNTS_OPTIONS[$i]}" ]; then
    mounts_spec "${MOUNTS_OPTIONS[$i]}"
    options_line="Options=$MOUNTS_SPEC"
  fi
  mounts_spec "${MOUNTS_DEVICE[$i]}"
  what=$MOUNTS_SPEC
  mounts_spec "${MOUNTS_TARGET[$i]}"
  where=$MOUNTS_SPEC
  mounts_spec "${MOUNTS_TYPE[$i]}"
  printf -v MOUNTS_TEXT '[Unit]\nConflicts=umount.target\nBefore=%s\nAfter=%s\n\n[Mount]\nWhat=%s\nWhere=%s\nType=%s\n%s\n\n[Install]\nWantedBy=local-fs.target' \
    "${MOUNTS_BEFORE[$i]}" "${MOUNTS_AFTER[$i]}" "$what" "$where" "$MOUNTS_SPEC" "$options_line"
}

# mounts_line TEXT KEY: sets MOUNTS_LINE to the value of the first `KEY=` line of a unit text.
mounts_line() {
  local line
  MOUNTS_LINE=''
  while IFS= read -r line; do
    if [ "${line%%=*}" = "$2" ] && [ "$line" != "$2" ]; then
      MOUNTS_LINE=${line#*=}
      return 0
    fi
  done <<<"$1"
  return 0
}

# mounts_differ OLD NEW KEY...: whether the two unit texts differ in the value of any KEY.
mounts_differ() {
  local old=$1 new=$2 key a
  shift 2
  for key in "$@"; do
    mounts_line "$old" "$key"
    a=$MOUNTS_LINE
    mounts_line "$new" "$key"
    [ "$a" = "$MOUNTS_LINE" ] || return 0
  done
  return 1
}

# mounts_journal UNIT: the unit's last journal lines, which hold mount(8)'s own error message. A failed start logs
# mount's two lines and then four of systemd's, so fewer than ten can cut off the line that says what went wrong.
mounts_journal() {
  run journalctl --no-pager --quiet -n 10 -u "$1" || true
}

# mounts_revert STATE: unmounts and removes every unit recorded in STATE that the policy no longer holds.
# A mount that cannot be unmounted (busy) keeps its unit and its record, so a later run retries it.
mounts_revert() {
  local state=$1 copy unit where removed=()
  for copy in "$state"/*.mount; do
    [ -f "$copy" ] || continue
    unit=${copy##*/}
    in_list "$unit" "${MOUNTS_UNIT[@]}" && continue
    file_text "$copy" || :
    mounts_line "$FILE_TEXT" Where
    where=${MOUNTS_LINE//"%%"/%}
    if [ -f "$MOUNTS_PERSIST/$unit" ] || systemctl is-active --quiet "$unit"; then
      if ! run systemctl stop "$unit"; then
        mounts_journal "$unit"
        log_error "Cannot unmount ${where:-$unit} ($unit): it is busy or failed to unmount; it stays mounted and managed. Stop what uses it (fuser -vm ${where:-<target>}) and run again."
        MOUNTS_FAILED=$((MOUNTS_FAILED + 1))
        continue
      fi
    fi
    unit_remove "$MOUNTS_PERSIST" "$unit" || :
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
    mounts_unit_text "$i"
    text=$MOUNTS_TEXT
    old=''
    if [ -f "$file" ]; then
      file_text "$file" || :
      old=$FILE_TEXT
    fi
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
    elif mounts_differ "$old" "$text" What Type; then
      MOUNTS_ACTION[i]=restart
      changed "Mount unit updated: $unit (${MOUNTS_TARGET[$i]}; device or type changed)"
    elif mounts_differ "$old" "$text" Options; then
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
  if [ -z "${UNIT_ACTIVE[i]-}" ] && ! systemctl is-active --quiet "$unit"; then
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
  if [ -z "${UNIT_ENABLED[i]-}" ]; then
    unit_enable "$unit" "Mount persisting failed: $unit"
  fi
  log_info "Mount successfully verified: $target"
}

# mounts_finish: reverts, applies, and fails the run if any mount could not be made or removed.
mounts_finish() {
  local state=/var/divingbell/mounts i
  dir_ready "$state"
  write_test "$MOUNTS_PERSIST"
  unit_names mount "mount targets" "${MOUNTS_TARGET[@]}"
  MOUNTS_UNIT=("${UNIT_NAMES[@]}")
  mounts_revert "$state"
  mounts_write "$state"
  unit_states "${MOUNTS_UNIT[@]}"
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
