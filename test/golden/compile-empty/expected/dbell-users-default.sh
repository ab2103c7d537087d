#!/bin/bash
# dbellc host script for module users. Generated; do not edit.
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

# ---- module users ----
# users (Divingbell's uamlite): local users with crypt passwords, sudo and ssh keys; removed users are expired or purged.
# Each user's fields arrive as the arguments of its own users_apply call, so nothing carries over from one user to the
# next. Password hashes are compared and written, never printed: they go to chpasswd on stdin, not on a command line.

# The GECOS comment that marks the users this module created (Divingbell's only ownership marker).
USERS_MARKER=divingbell
USERS_KEYS_HEADER='# NOTE: This file is managed by divingbell'
USERS_BUILTIN=ubuntu

# users_check_name NAME: dies unless NAME is a user name useradd accepts (the compiler checked it; this guards the paths).
users_check_name() {
  if ! [[ $1 =~ ^[a-z_][a-z0-9_-]*[$]?$ ]] || [ "${#1}" -gt 32 ]; then
    die "Invalid user name: $1"
  fi
}

# The account databases and the mode and owner of the files this module checks, read once per run by users_load, so
# that a run which changes nothing costs a few processes whatever the number of users. An entry this run changes is
# read again (users_refresh); a path it changes is looked up again (users_mode finds no cached value for it).
declare -A USERS_PASSWD=() USERS_SHADOW=() USERS_STAT=()
USERS_ORDER=()
USERS_FIELD=''
USERS_MODE=''

# users_load [USER...]: reads passwd and shadow in one pass each, then `stat`s every file the run will check for the
# USERs in one call: their sudoers files, ~/.ssh and ~/.ssh/authorized_keys.
# shellcheck disable=SC2120 # a policy without users calls it without arguments
users_load() {
  local entries line name home
  local -a paths=() f=()
  entries=$(getent passwd) || die "Cannot read the user database (getent passwd)."
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    name=${line%%:*}
    USERS_PASSWD[$name]=$line
    USERS_ORDER+=("$name")
  done <<<"$entries"
  entries=$(getent shadow) || die "Cannot read the shadow database (getent shadow)."
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    USERS_SHADOW[${line%%:*}]=$line
  done <<<"$entries"
  for name in "$@"; do
    users_check_name "$name"
    paths+=("/etc/sudoers.d/divingbell-$name-sudo")
    [ -n "${USERS_PASSWD[$name]-}" ] || continue
    IFS=: read -r -a f <<<"${USERS_PASSWD[$name]}"
    home=${f[5]-}
    [ -z "$home" ] || paths+=("$home/.ssh" "$home/.ssh/authorized_keys")
  done
  [ "${#paths[@]}" -gt 0 ] || return 0
  # Missing files print nothing (and make stat exit 1): the checks test existence themselves.
  entries=$(stat -c '%a %u %g %n' -- "${paths[@]}" 2>/dev/null) || :
  local mode uid gid path
  while read -r mode uid gid path; do
    if [ -n "$path" ]; then USERS_STAT[$path]="$mode $uid $gid"; fi
  done <<<"$entries"
}

# users_refresh NAME: reads NAME's passwd and shadow entries again, after this run changed them.
users_refresh() {
  USERS_PASSWD[$1]=$(getent passwd "$1") || unset "USERS_PASSWD[$1]"
  USERS_SHADOW[$1]=$(getent shadow "$1") || unset "USERS_SHADOW[$1]"
}

# users_mode PATH: sets USERS_MODE to `<octal mode> <uid> <gid>` of PATH (not following a final symbolic link), from
# the run's one stat call, or from stat itself for a path that did not exist then.
users_mode() {
  USERS_MODE=${USERS_STAT[$1]-}
  if [ -z "$USERS_MODE" ]; then USERS_MODE=$(stat -c '%a %u %g' -- "$1"); fi
}

# users_shadow_field NAME N: sets USERS_FIELD to field N of NAME's shadow entry (2 = password hash, 8 = expiry day).
users_shadow_field() {
  local -a f=()
  [ -n "${USERS_SHADOW[$1]-}" ] || die "User $1 has no shadow entry."
  IFS=: read -r -a f <<<"${USERS_SHADOW[$1]}"
  USERS_FIELD=${f[$2 - 1]-}
}

# users_is_marked NAME: whether NAME's GECOS comment (its first comma-separated part) is the marker.
users_is_marked() {
  local gecos
  [ -n "${USERS_PASSWD[$1]-}" ] || return 1
  IFS=: read -r _ _ _ _ gecos _ <<<"${USERS_PASSWD[$1]}"
  [ "${gecos%%,*}" = "$USERS_MARKER" ]
}

# users_apply NAME PASSWORD SUDO KEYS_MODE [KEY...]: one user, every field given. KEYS_MODE is managed or unmanaged.
users_apply() {
  local user=$1 password=$2 sudo=$3 keys_mode=$4
  shift 4
  users_check_name "$user"
  if [ -n "${USERS_PASSWD[$user]-}" ]; then
    users_is_marked "$user" || log_info "User $user exists and was not created by this module; it is managed but never expired or purged."
  else
    run useradd --create-home --shell /bin/bash --comment "$USERS_MARKER" "$user" || die "Creating user $user failed (useradd)."
    users_refresh "$user"
    changed "User $user: created."
  fi
  users_set_expiry "$user" never
  users_set_password "$user" "$password"
  users_set_sudo "$user" "$sudo"
  case $keys_mode in
    unmanaged) log_info "User $user: ssh keys unmanaged; authorized_keys left alone." ;;
    managed) users_set_keys "$user" "$@" ;;
    *) die "Invalid ssh key mode for user $user: $keys_mode" ;;
  esac
  return 0
}

# users_set_expiry NAME never|expired: clears the account's expiry date, or sets it to day 1 (1970-01-02) as Divingbell does.
users_set_expiry() {
  local have
  users_shadow_field "$1" 8
  have=$USERS_FIELD
  if [ "$2" = never ]; then
    if [ -z "$have" ] || [ "$have" = -1 ]; then return 0; fi
    run usermod --expiredate '' "$1" || die "Unexpiring user $1 failed (usermod)."
    users_refresh "$1"
    changed "User $1: account no longer expires."
  else
    if [ "$have" = 1 ]; then
      log_info "User $1: already expired."
      return 0
    fi
    run usermod --expiredate 1 "$1" || die "Expiring user $1 failed (usermod)."
    users_refresh "$1"
    changed "User $1: account expired."
  fi
}

# users_set_password NAME HASH: makes NAME's shadow hash HASH (`*` no password, `!` locked). Never logs HASH.
users_set_password() {
  local user=$1 want=$2
  users_shadow_field "$user" 2
  if [ "$USERS_FIELD" = "$want" ]; then
    log_info "User $user: password unchanged."
    return 0
  fi
  printf '%s:%s\n' "$user" "$want" | chpasswd --encrypted || die "Setting the password of user $user failed (chpasswd)."
  users_refresh "$user"
  case $want in
    '*') changed "User $user: password removed." ;;
    '!') changed "User $user: password locked." ;;
    *) changed "User $user: password set." ;;
  esac
}

# users_set_sudo NAME true|false: installs or removes /etc/sudoers.d/divingbell-NAME-sudo, checked by visudo first.
users_set_sudo() {
  local user=$1 file="/etc/sudoers.d/divingbell-$1-sudo" want out
  if [ "$2" != true ]; then
    if [ -e "$file" ] || [ -L "$file" ]; then
      rm -f "$file"
      changed "User $user: sudo removed ($file)."
    fi
    return 0
  fi
  want="$user ALL=(ALL) NOPASSWD:ALL"
  if [ -f "$file" ] && [ ! -L "$file" ] && file_text "$file" && [ "$FILE_TEXT" = "$want" ]; then
    users_mode "$file"
    if [ "$USERS_MODE" = "440 0 0" ]; then
      log_info "User $user: sudo unchanged."
      return 0
    fi
  fi
  command -v visudo >/dev/null || die "Cannot grant sudo to user $user: visudo not found (install the sudo package)."
  [ -d /etc/sudoers.d ] || die "Cannot grant sudo to user $user: /etc/sudoers.d does not exist."
  # The temporary name (FILE.dbell-tmp) has a dot, so sudo's @includedir ignores it until it is renamed into place.
  file_stage "$file" "$want"$'\n' 0440
  if ! out=$(visudo -cf "$FILE_TMP" 2>&1); then
    rm -f "$FILE_TMP"
    die "The sudoers entry for user $user does not pass visudo -cf: $out"
  fi
  file_commit "$file"
  changed "User $user: sudo granted ($file)."
}

# users_set_keys NAME [KEY...]: makes ~NAME/.ssh/authorized_keys hold exactly the header and KEYs (none: removes it).
users_set_keys() {
  local user=$1 uid gid home
  shift
  IFS=: read -r _ _ uid gid _ home _ <<<"${USERS_PASSWD[$user]}"
  local dir="$home/.ssh" file="$home/.ssh/authorized_keys"
  [ ! -L "$dir" ] || die "Cannot manage ssh keys for user $user: $dir is a symbolic link."
  if [ "$#" -eq 0 ]; then
    if [ -e "$file" ] || [ -L "$file" ]; then
      rm -f "$file"
      changed "User $user: no ssh keys in the policy; removed $file."
    fi
    return 0
  fi
  [ -d "$home" ] || die "Cannot install ssh keys for user $user: home directory $home does not exist."
  # Compared byte for byte, final newlines included.
  local want have='' dir_mode=''
  printf -v want '%s\n' "$USERS_KEYS_HEADER" "$@"
  if [ -d "$dir" ]; then
    users_mode "$dir"
    dir_mode=$USERS_MODE
  fi
  if [ -f "$file" ] && [ ! -L "$file" ] && [ "$dir_mode" = "700 $uid $gid" ]; then
    users_mode "$file"
    if [ "$USERS_MODE" = "600 $uid $gid" ]; then
      { IFS= read -r -d '' have || :; } <"$file"
      if [ "$have" = "$want" ]; then
        log_info "User $user: ssh keys unchanged."
        return 0
      fi
    fi
  fi
  # The owner of ~/.ssh: the middle field of `<mode> <uid> <gid>`.
  local dir_uid=${dir_mode#* }
  dir_uid=${dir_uid%% *}
  if [ -d "$dir" ] && [ "$dir_uid" != "$uid" ]; then
    chown -h "$uid:$gid" "$dir"
  elif [ ! -e "$dir" ] && [ "$(stat -L -c '%u' "$home")" != "$uid" ]; then
    # A home the user does not own (root-owned, as sshd allows) cannot take a new .ssh from the user.
    mkdir -m 0700 "$dir"
    chown -h "$uid:$gid" "$dir"
  fi
  # The file is written by the user itself: a root write into a directory the user controls could be redirected by a
  # symbolic link swapped in at the right moment. The script below is fixed text; paths and keys arrive as arguments
  # and on stdin.
  # shellcheck disable=SC2016
  printf '%s\n' "$USERS_KEYS_HEADER" "$@" | setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs -- \
    /bin/sh -c 'umask 077 && mkdir -p "$1" && chmod 700 "$1" && t=$(mktemp "$1/.authorized_keys.XXXXXX") && cat >"$t" && mv -f "$t" "$2"' \
    users-keys "$dir" "$file" || die "Writing $file as user $user failed."
  changed "User $user: wrote $# ssh key(s) to $file."
}

# users_finish expire|purge BUILTIN_ACTION [USER...]: handles users this module created that are no longer listed,
# sudoers files of users no longer granted sudo, and the built-in account (expire, unexpire, or managed by the policy).
# It runs after every listed user is in place, so the fallback account is only closed once the new logins exist.
users_finish() {
  local mode=$1 builtin=$2 name f base
  local -a removed=()
  local -A listed=()
  shift 2
  for name in "$@"; do listed[$name]=1; done
  # In /etc/passwd order, from the run's one read of it (users created by this run are listed, so never removed).
  for name in "${USERS_ORDER[@]}"; do
    [ -z "${listed[$name]-}" ] || continue
    if users_is_marked "$name"; then removed+=("$name"); fi
  done
  for name in "${removed[@]}"; do
    if [ "$mode" = purge ]; then
      run userdel --remove "$name" || die "Purging user $name failed (userdel --remove)."
      changed "User $name: removed from the policy; purged with its home directory."
    else
      users_set_expiry "$name" expired
    fi
  done

  # The sudoers file names of the listed users (divingbell-NAME-sudo).
  local -a granted=("${@/#/divingbell-}")
  granted=("${granted[@]/%/-sudo}")
  for f in /etc/sudoers.d/*divingbell* /etc/sudoers.d/.divingbell-*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    base=${f##*/}
    in_list "$base" "${granted[@]}" && continue
    rm -f "$f"
    changed "Removed $f (not granted by the policy)."
  done

  users_builtin "$builtin"
}

# users_builtin expire|unexpire|managed: Divingbell's rule for the built-in account, decided by the compiler.
users_builtin() {
  [ "$1" = managed ] && return 0
  if [ -z "${USERS_PASSWD[$USERS_BUILTIN]-}" ]; then
    if [ "$1" = expire ]; then log_warn "Could not find built-in account '$USERS_BUILTIN'."; fi
    return 0
  fi
  if users_is_marked "$USERS_BUILTIN"; then
    return 0
  fi
  case $1 in
    expire) users_set_expiry "$USERS_BUILTIN" expired ;;
    unexpire) users_set_expiry "$USERS_BUILTIN" never ;;
    *) die "Invalid action for the built-in account: $1" ;;
  esac
}

module_lock users
# ---- this node's settings ----
users_load
users_finish expire unexpire
done_summary users
