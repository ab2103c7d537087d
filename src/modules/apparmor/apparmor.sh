# apparmor: profiles saved in /var/divingbell/apparmor/NAME, linked as /etc/apparmor.d/NAME, loaded with apparmor_parser.
# Every profile is compile-checked before it replaces the saved one, so a bad text never reaches /etc/apparmor.d.
# A profile is reloaded only when its file or the mode changed since it was last loaded in this boot.

APPARMOR_SAVED=/var/divingbell/apparmor
# One stamp per loaded profile: the boot, the file's checksum and the mode it was loaded with.
APPARMOR_LOADED=/var/divingbell/apparmor-loaded
APPARMOR_ETC=/etc/apparmor.d
APPARMOR_FEATURES=/usr/share/apparmor-features/features

# apparmor_check_name NAME: dies unless NAME is a plain file name (the compiler checked it; this guards the paths).
apparmor_check_name() {
  case $1 in
    '' | .* | */*) die "Invalid AppArmor profile file name: $1" ;;
  esac
}

# apparmor_enabled: whether this kernel has AppArmor enabled, with its interface mounted.
apparmor_enabled() {
  [ -r /sys/module/apparmor/parameters/enabled ] && [ "$(cat /sys/module/apparmor/parameters/enabled)" = Y ] &&
    [ -d /sys/kernel/security/apparmor ]
}

# apparmor_parse_check NAME FILE: compiles FILE without loading it; dies naming NAME with the parser's message.
apparmor_parse_check() {
  local out
  local -a features=()
  # Without AppArmor in the kernel there are no kernel features to compile against; use the packaged feature set.
  if ! apparmor_enabled && [ -e "$APPARMOR_FEATURES" ]; then features=(-M "$APPARMOR_FEATURES"); fi
  if ! out=$(apparmor_parser -Q -K "${features[@]}" "$2" 2>&1); then
    rm -f "$2"
    die "AppArmor profile $1 does not compile; nothing was changed for it: $out"
  fi
}

# apparmor_install NAME TEXT: compile-checks TEXT, saves it as /var/divingbell/apparmor/NAME and links it into /etc/apparmor.d.
apparmor_install() {
  local name=$1 text=$2 saved link
  apparmor_check_name "$name"
  command -v apparmor_parser >/dev/null || die "Cannot install AppArmor profile $name: apparmor_parser not found (install the apparmor package)."
  [ -d "$APPARMOR_ETC" ] || die "Cannot install AppArmor profile $name: $APPARMOR_ETC does not exist (install the apparmor package)."
  state_dir apparmor >/dev/null
  saved="$APPARMOR_SAVED/$name"
  link="$APPARMOR_ETC/$name"
  if { [ -e "$link" ] || [ -L "$link" ]; } && [ "$(readlink "$link")" != "$saved" ]; then
    die "Refusing to replace $link: it exists and is not a link to $saved."
  fi
  # The text is written exactly as given (printf, no escape processing), final newlines included. It is checked
  # outside $APPARMOR_SAVED, where every file is taken for a profile (a killed run's copy is removed by the next).
  if ! file_holds "$saved" "$text"; then
    file_stage "$saved" "$text" 0644 "/var/divingbell/.apparmor-$name.dbell-tmp"
    apparmor_parse_check "$name" "$FILE_TMP"
    file_commit "$saved"
    changed "AppArmor profile $name: saved $saved."
  else
    log_info "AppArmor profile $name: $saved unchanged."
  fi
  if [ ! -L "$link" ]; then
    ln -s "$saved" "$link"
    changed "AppArmor profile $name: linked $link."
  fi
}

# apparmor_finish enforce|complain [NAME...]: removes the stale profiles, then loads the NAMEs. Stale ones go first:
# unloading a stale file removes the profile names it declares, which a renamed file may declare again.
apparmor_finish() {
  local mode=$1
  shift
  apparmor_remove_stale "$@"
  apparmor_load "$mode" "$@"
}

# apparmor_remove_stale [NAME...]: unloads and removes every saved profile that is not among the NAMEs.
apparmor_remove_stale() {
  local f name out stale=0
  # Temporary copies left by a run that was killed while checking a profile.
  rm -f /var/divingbell/.apparmor-*
  [ -d "$APPARMOR_SAVED" ] || return 0
  for f in "$APPARMOR_SAVED"/*; do
    [ -f "$f" ] || continue
    name=${f##*/}
    in_list "$name" "$@" && continue
    if apparmor_enabled; then
      if ! out=$(apparmor_parser -R "$f" 2>&1); then
        case $out in
          *"doesn't exist"*) log_info "AppArmor profile $name was not loaded." ;;
          *) die "Problem unloading profile $f: $out" ;;
        esac
      fi
    else
      log_info "AppArmor is not enabled in this kernel; stale profile $name is not loaded."
    fi
    if [ -L "$APPARMOR_ETC/$name" ] && [ "$(readlink "$APPARMOR_ETC/$name")" = "$f" ]; then
      rm -f "$APPARMOR_ETC/$name"
    fi
    rm -f "$f" "$APPARMOR_LOADED/$name"
    printf 'apparmor: stale profile %s\n' "$f" >>/var/run/reboot-required.pkgs
    changed "AppArmor profile $name: removed from the policy; unloaded and deleted."
    stale=1
  done
  if [ "$stale" = 1 ]; then
    printf '%s\n' '*** System restart required ***' >/var/run/reboot-required
    log_info "Stale AppArmor profiles were removed; processes they confined keep their old confinement until restarted (reboot-required written)."
  fi
}

# apparmor_load enforce|complain [NAME...]: loads each linked profile unless it is loaded already as it is now.
apparmor_load() {
  local mode=$1 name want boot sum
  local -a flags=(-r -W)
  shift
  case $mode in
    complain) flags+=(-C) ;;
    enforce) ;;
    *) die "Invalid AppArmor mode: $mode" ;;
  esac
  [ "$#" -gt 0 ] || return 0
  boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || printf 'unknown')
  for name in "$@"; do
    sum=$(sha256sum <"$APPARMOR_SAVED/$name")
    want="boot=$boot sha256=${sum%% *} mode=$mode"
    if [ -f "$APPARMOR_LOADED/$name" ] && [ "$(cat "$APPARMOR_LOADED/$name")" = "$want" ]; then
      log_info "AppArmor profile $name: already loaded ($mode), unchanged."
      continue
    fi
    apparmor_enabled ||
      die "Cannot load $APPARMOR_ETC/$name: AppArmor is not enabled in this node's kernel (the profile is saved and linked, and loads at boot on a kernel with AppArmor)."
    if ! run apparmor_parser "${flags[@]}" "$APPARMOR_ETC/$name"; then
      rm -f "$APPARMOR_LOADED/$name"
      die "Problem loading $APPARMOR_ETC/$name"
    fi
    mkdir -p "$APPARMOR_LOADED"
    printf '%s\n' "$want" >"$APPARMOR_LOADED/$name"
    changed "AppArmor profile $name: loaded ($mode)."
  done
}
