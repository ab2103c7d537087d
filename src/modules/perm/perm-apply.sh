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
