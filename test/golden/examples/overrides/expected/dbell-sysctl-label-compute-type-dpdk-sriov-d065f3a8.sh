#!/bin/bash
# dbellc host script for module sysctl. Generated; do not edit.
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

# ---- module sysctl ----
# sysctl: kernel tunables (spec §5.1). `sysctl_want` collects the policy's keys; `sysctl_sync` checks them all, reverts
# the keys earlier runs managed that the policy dropped, applies and persists the rest, and reloads only on a change.
# State is Divingbell's: /var/divingbell/sysctl/60-divingbell-<name>.conf holds the original `name = value` line as
# sysctl printed it, /etc/sysctl.d/60-divingbell-<name>.conf holds `<name>=<value>`.
SYSCTL_STATE=/var/divingbell/sysctl
SYSCTL_CONF_DIR=/etc/sysctl.d
SYSCTL_KEYS=()
SYSCTL_VALUES=()
SYSCTL_RELOAD=0
SYSCTL_NAME=

# sysctl_want KEY VALUE: the policy sets KEY (dotted or slashed) to VALUE.
sysctl_want() {
  SYSCTL_KEYS+=("$1")
  SYSCTL_VALUES+=("$2")
}

# sysctl_norm VALUE: VALUE with each run of whitespace made one space, trimmed. Multi-value tunables
# (ip_local_port_range, tcp_rmem) print tab-separated, so values compare equal whatever spacing the policy used.
sysctl_norm() {
  local -a words=()
  read -r -d '' -a words <<<"$1" || :
  printf '%s' "${words[*]}"
}

# sysctl_file NAME: the file name Divingbell uses for tunable NAME. A `/` in NAME (sysctl's spelling of a `.` inside
# an interface name, eth0.100) becomes `:`, which no interface name can contain.
sysctl_file() {
  printf '60-divingbell-%s.conf' "${1//\//:}"
}

# sysctl_name KEY: sets SYSCTL_NAME to the kernel's canonical dotted name of KEY; dies naming KEY unless it is one
# tunable. (A global, not output: `die` inside a command substitution would only end the subshell.)
sysctl_name() {
  local key=$1 out
  if ! out=$(sysctl -N -- "$key" 2>&1); then
    die "unknown sysctl key '$key': ${out:-the kernel has no such tunable}"
  fi
  # sysctl lists a directory's tunables instead of failing, and spells a `.` inside a name part as `/`.
  if [ "${out//\//.}" != "${key//\//.}" ]; then
    die "sysctl key '$key' is not a single tunable (it names a group of them)"
  fi
  SYSCTL_NAME=$out
}

# sysctl_read NAME: the kernel's current value of NAME.
sysctl_read() {
  sysctl -n -- "$1"
}

# sysctl_write NAME VALUE: writes VALUE and reads it back; status 1 with the reason on stdout if the kernel did not
# take it. sysctl's own status is not enough: some versions exit 0 after `Invalid argument`.
sysctl_write() {
  local name=$1 value=$2 out now
  out=$(sysctl -q -w -- "$name=$value" 2>&1) || :
  now=$(sysctl_read "$name")
  if [ "$(sysctl_norm "$now")" != "$(sysctl_norm "$value")" ]; then
    if [ -z "$out" ]; then out="the kernel holds '$now' after writing it"; fi
    printf '%s' "$out"
    return 1
  fi
}

# sysctl_revert FILE: restores the original value recorded in the backup FILE, then forgets the key.
sysctl_revert() {
  local file=$1 backup="$SYSCTL_STATE/$1" line name value why
  line=$(head -n 1 -- "$backup")
  case $line in
    *' = '*) ;;
    *) die "backup $backup does not hold a 'name = value' line; restore it by hand or delete it" ;;
  esac
  name=${line%% = *}
  value=${line#* = }
  if ! sysctl -N -- "$name" >/dev/null 2>&1; then
    log_warn "sysctl $name no longer exists; keeping its original value in $backup"
    rm -f -- "${SYSCTL_CONF_DIR:?}/$file"
    return 0
  fi
  if [ "$(sysctl_norm "$(sysctl_read "$name")")" != "$(sysctl_norm "$value")" ]; then
    why=$(sysctl_write "$name" "$value") || die "cannot restore sysctl $name to its original '$value': $why"
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

# sysctl_apply NAME VALUE ORIGINAL_LINE: sets and persists one tunable, recording its original value first.
sysctl_apply() {
  local name=$1 want=$2 line=$3 file backup conf cur why fresh=0 wrote=0
  file=$(sysctl_file "$name")
  backup="$SYSCTL_STATE/$file"
  conf="$SYSCTL_CONF_DIR/$file"
  if [ ! -e "$backup" ]; then
    printf '%s\n' "$line" >"$backup"
    fresh=1
  fi
  cur=$(sysctl_read "$name")
  if [ "$(sysctl_norm "$cur")" != "$(sysctl_norm "$want")" ]; then
    if ! why=$(sysctl_write "$name" "$want"); then
      # Leave the node as it was: the old value back if the kernel took part of the write, no new state files.
      if [ "$(sysctl_norm "$(sysctl_read "$name")")" != "$(sysctl_norm "$cur")" ]; then
        sysctl_write "$name" "$cur" >/dev/null || log_warn "sysctl $name: could not put back '$cur'"
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
# wanted ones are applied, so a revert can never undo a value applied in the same run.
sysctl_sync() {
  local i name file f why line
  local -a names=() lines=()
  local -A wanted=()
  mkdir -p "$SYSCTL_STATE" "$SYSCTL_CONF_DIR"
  write_test "$SYSCTL_STATE"
  write_test "$SYSCTL_CONF_DIR"
  for i in "${!SYSCTL_KEYS[@]}"; do
    sysctl_name "${SYSCTL_KEYS[$i]}"
    name=$SYSCTL_NAME
    file=$(sysctl_file "$name")
    if [ -n "${wanted[$file]:-}" ]; then
      die "sysctl $name is set twice (as '${wanted[$file]}' and '${SYSCTL_KEYS[$i]}')"
    fi
    wanted[$file]=${SYSCTL_KEYS[$i]}
    line=$(sysctl -- "$name" 2>&1) || die "sysctl $name cannot be read, so its original value cannot be kept: $line"
    names+=("$name")
    lines+=("$line")
  done

  for f in "$SYSCTL_STATE"/60-divingbell-*.conf; do
    [ -e "$f" ] || continue
    file=${f##*/}
    if [ -z "${wanted[$file]:-}" ]; then sysctl_revert "$file"; fi
  done

  for i in "${!names[@]}"; do
    sysctl_apply "${names[$i]}" "${SYSCTL_VALUES[$i]}" "${lines[$i]}"
  done
  if [ "${#names[@]}" -eq 0 ]; then log_info "no sysctl settings for this node"; fi

  if [ "$SYSCTL_RELOAD" -eq 1 ]; then
    # Re-reads every sysctl.d file: after a revert, another file that sets the same tunable takes effect again.
    if ! why=$(sysctl --system 2>&1 >/dev/null); then
      log_warn "sysctl --system reported problems outside this policy: ${why//$'\n'/; }"
    fi
    for i in "${!names[@]}"; do
      if [ "$(sysctl_norm "$(sysctl_read "${names[$i]}")")" != "$(sysctl_norm "${SYSCTL_VALUES[$i]}")" ]; then
        log_warn "sysctl ${names[$i]} is '$(sysctl_read "${names[$i]}")' after sysctl --system: another file in the sysctl.d directories overrides it"
      fi
    done
  fi
}
# ---- this node's settings ----
sysctl_want net.ipv4.ip_forward 0
sysctl_want net.ipv6.conf.all.forwarding 1
sysctl_sync
done_summary sysctl
