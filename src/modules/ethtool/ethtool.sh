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
