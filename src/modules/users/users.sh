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
