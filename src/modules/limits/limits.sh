# limits: one pam_limits line per file, /etc/security/limits.d/60-divingbell-<name>.conf (docs/modules/limits.md).
# The 60-divingbell- prefix marks the files Divingbell and dbellc own; no other file in limits.d is ever touched.
# A prefixed file that neither could have written (not one `<domain> <type> <item> <value>` line) is kept in
# /var/divingbell/limits before it is first overwritten, and put back when its entry leaves the policy.

LIMITS_DIR=/etc/security/limits.d
LIMITS_STATE=
declare -A LIMITS_WANTED=()

limits_init() {
  [ -n "$LIMITS_STATE" ] && return 0
  dir_ready "$LIMITS_DIR"
  dir_ready /var/divingbell/limits
  LIMITS_STATE=/var/divingbell/limits
}

# limits_is_generated FILE: status 0 when FILE is one `<domain> <type> <item> <value>` line, as Divingbell and dbellc
# write. Read by bash itself: this check runs for every entry on every run.
limits_is_generated() {
  local text='' rest
  local -a fields=()
  { IFS= read -r -d '' text || :; } 2>/dev/null <"$1" || return 1
  # At most one line: no newline other than a final one.
  rest=${text%$'\n'}
  [[ $rest != *$'\n'* ]] || return 1
  read -r -a fields <<<"$rest" || :
  [ "${#fields[@]}" -eq 4 ] && [[ ${fields[0]} != \#* ]]
}

# limits_apply NAME DOMAIN TYPE ITEM VALUE: makes 60-divingbell-NAME.conf hold exactly that line.
limits_apply() {
  limits_init
  local name=$1 line="$2 $3 $4 $5"
  local file="$LIMITS_DIR/60-divingbell-$name.conf" backup="$LIMITS_STATE/60-divingbell-$name.conf"
  LIMITS_WANTED[$name]=1
  [ ! -d "$file" ] || die "limits: $file is a directory; remove it so the limit can be written there"
  if [ -f "$file" ] && [ ! -e "$backup" ] && ! limits_is_generated "$file"; then
    cp -p "$file" "$backup"
    log_warn "limits: $file was not written by Divingbell or dbellc; kept it as $backup, to be put back when entry $name leaves the policy"
  fi
  if write_if_changed "$file" "$line"; then
    changed "Limits setting applied: $file: $line"
  else
    log_info "No changes made to limits param: $name"
  fi
}

# limits_revert NAME: puts back the file kept before dbellc took NAME over, or else removes the file if it is generated.
limits_revert() {
  local name=$1
  local file="$LIMITS_DIR/60-divingbell-$name.conf" backup="$LIMITS_STATE/60-divingbell-$name.conf"
  if [ -f "$backup" ]; then
    mv -f "$backup" "$file"
    changed "Reverted limits setting $name: restored the earlier $file"
  elif [ -f "$file" ] && limits_is_generated "$file"; then
    rm -f "$file"
    changed "Reverted limits setting $name: removed $file"
  elif [ -e "$file" ]; then
    log_info "limits: leaving $file alone: it was not written by Divingbell or dbellc"
  fi
}

# limits_finish: reverts every entry that earlier runs (of dbellc or Divingbell) wrote and the policy no longer holds.
limits_finish() {
  limits_init
  local f name
  for f in "$LIMITS_DIR"/60-divingbell-*.conf "$LIMITS_STATE"/60-divingbell-*.conf; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    name=${f##*/60-divingbell-}
    name=${name%.conf}
    [ -z "${LIMITS_WANTED[$name]+set}" ] || continue
    limits_revert "$name"
  done
  if [ "${#LIMITS_WANTED[@]}" -eq 0 ]; then
    log_warn "No limits overrides defined for this node."
  fi
  log_info "New limits apply to sessions started from now on."
}
