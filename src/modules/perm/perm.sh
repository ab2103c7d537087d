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
