# apt: packages, debconf answers, upgrades, strict mode, white/blacklists and repositories (Divingbell's apt; docs/modules/apt.md).
# State keeps Divingbell's layout: /var/divingbell/apt/packages lists, sorted, the bare names of the packages this
# module installed, so it can purge them when the policy drops them. While the policy's repositories replace the
# node's apt sources, the node's own sources wait in /var/divingbell/apt/sources-backup. Debconf answers are never
# logged (some are passwords).

APT_RECORD=/var/divingbell/apt/packages
APT_STRICT=false
APT_UPGRADE=false
APT_DOWNGRADE=false
APT_UPDATED=false
APT_LISTS_STALE=false
APT_REQUESTED=()
APT_BLACKLIST=()
declare -A APT_VERSION=() APT_WHITE=() APT_INSTALLED=() APT_CONFIG_ONLY=() APT_PROTECTED=() APT_MINE=()
# The names in the record as read, when it was in the form apt__save_record writes (sorted bare names); else empty.
APT_RECORD_READ=()

# apt_begin strict=BOOL upgrade=BOOL allow_downgrade=BOOL: options, state directory, an interrupted dpkg run finished.
apt_begin() {
  local opt
  for opt in "$@"; do
    case $opt in
      strict=*) APT_STRICT=${opt#*=} ;;
      upgrade=*) APT_UPGRADE=${opt#*=} ;;
      allow_downgrade=*) APT_DOWNGRADE=${opt#*=} ;;
      *) die "apt: unknown option $opt" ;;
    esac
  done
  command -v apt-get >/dev/null || die "apt: apt-get not found; the apt module manages Debian-based hosts"
  dir_ready /var/divingbell/apt
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true APT_LISTCHANGES_FRONTEND=none
  local audit
  # `exec` here and below: the substitution's shell becomes the program instead of forking it (it stays for the ERR
  # trap it inherits).
  audit=$(exec dpkg --audit 2>&1) || :
  if [ -n "$audit" ]; then
    # Divingbell b98efc4: an interrupted dpkg run must not stop on conffile prompts.
    run dpkg --configure -a --force-confdef --force-confold || die "apt: dpkg --configure -a failed"
    changed "apt: finished an interrupted dpkg run"
  fi
}

# apt_debconf PACKAGE QUESTION TYPE ANSWER: sets a debconf answer unless the database already holds it.
apt_debconf() {
  local pkg=$1 question=$2 type=$3 answer=$4 current
  current=$(printf 'GET %s\n' "$question" | debconf-communicate 2>/dev/null || true)
  if [ "$current" = "0 $answer" ] || { [ -z "$answer" ] && [ "$current" = 0 ]; }; then
    return 0
  fi
  printf '%s %s %s %s\n' "$pkg" "$question" "$type" "$answer" | debconf-set-selections ||
    die "apt: debconf-set-selections failed for $question"
  changed "apt: set the debconf answer to $question"
}

# apt_package NAME VERSION: requests a package, at VERSION exactly or (empty) the newest available.
apt_package() {
  APT_REQUESTED+=("$1")
  APT_VERSION[$1]=$2
}

# apt_whitelist NAME...: packages never purged.
apt_whitelist() {
  local n
  for n in "$@"; do APT_WHITE[$n]=1; done
}

# apt_blacklist NAME...: packages purged whenever they are installed.
apt_blacklist() {
  APT_BLACKLIST=("$@")
}

# apt_apply: installs, upgrades, purges blacklisted packages, then the ones the policy dropped (or, strict, every one
# it does not list), and records what this module installed.
apt_apply() {
  apt__load_record
  apt__snapshot
  apt__install
  if [ "$APT_UPGRADE" = true ]; then apt__upgrade; fi
  apt__blacklist
  if [ "$APT_STRICT" = true ]; then apt__strict; else apt__drop_unrequested; fi
  apt__save_record
}

# apt__get ARGS...: apt-get, non-interactive, keeping changed conffiles, waiting for another apt run's lock.
apt__get() {
  run apt-get -y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# apt__update: apt-get update, once per run; after a sources change the old lists go first (Divingbell d657f79).
apt__update() {
  [ "$APT_UPDATED" = false ] || return 0
  if [ "$APT_LISTS_STALE" = true ]; then
    find /var/lib/apt/lists -mindepth 1 -maxdepth 1 -type f ! -name lock -delete
  fi
  apt__get update || die "apt: apt-get update failed (see the lines above)"
  APT_UPDATED=true
}

# apt__snapshot: installed packages and versions; packages with only their configuration left (`rc`) are not
# installed (Divingbell counted them as installed); essential and required ones are never purged.
apt__snapshot() {
  APT_INSTALLED=()
  APT_CONFIG_ONLY=()
  APT_PROTECTED=()
  local name version status essential priority
  while IFS='|' read -r name version status essential priority; do
    case $status in
      installed | triggers-awaited | triggers-pending)
        APT_INSTALLED[$name]=$version
        if [ "$essential" = yes ] || [ "$priority" = required ]; then APT_PROTECTED[$name]=1; fi
        ;;
      config-files) APT_CONFIG_ONLY[$name]=1 ;;
    esac
  done < <(exec dpkg-query -W -f='${Package}|${Version}|${db:Status-Status}|${Essential}|${Priority}\n')
}

# apt__present NAME: installed, or removed with its configuration left.
apt__present() {
  [ -n "${APT_INSTALLED[$1]+x}" ] || [ -n "${APT_CONFIG_ONLY[$1]+x}" ]
}

# apt__load_record: the packages this module installed. Divingbell wrote pinned ones as NAME=VERSION;
# they are read back as the bare name.
apt__load_record() {
  local line bare canonical=true last=
  APT_MINE=()
  APT_RECORD_READ=()
  [ -f "$APT_RECORD" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    bare=${line%%=*}
    bare=${bare%%:*}
    if [[ $bare =~ ^[a-z0-9][a-z0-9+.-]+$ ]]; then APT_MINE[$bare]=1; fi
    # [[ < ]] compares bytes under LC_ALL=C, as sort does.
    if [ -z "$line" ] || [ "$bare" != "$line" ] || [ -z "${APT_MINE[$line]+x}" ] || { [ -n "$last" ] && [[ ! $last < $line ]]; }; then
      canonical=false
    fi
    APT_RECORD_READ+=("$line")
    last=$line
  done <"$APT_RECORD"
  [ "$canonical" = true ] || APT_RECORD_READ=()
}

# apt__save_record: writes the record back, sorted, bare names only; no record when there is nothing in it.
apt__save_record() {
  local text name same=false
  # Unchanged (the common case, every minute): the record read holds exactly the names, in its written form.
  if [ "${#APT_RECORD_READ[@]}" -gt 0 ] && [ "${#APT_RECORD_READ[@]}" -eq "${#APT_MINE[@]}" ]; then
    same=true
    for name in "${APT_RECORD_READ[@]}"; do [ -n "${APT_MINE[$name]+x}" ] || same=false; done
  fi
  [ "$same" = false ] || return 0
  if [ "${#APT_MINE[@]}" -eq 0 ]; then
    [ ! -e "$APT_RECORD" ] || rm -f "$APT_RECORD"
    return 0
  fi
  text=$(printf '%s\n' "${!APT_MINE[@]}" | sed '/^$/d' | sort)
  if [ -z "$text" ]; then
    rm -f "$APT_RECORD"
  else
    file_put "$APT_RECORD" "$text"$'\n' 644 || :
  fi
}

# apt__versions: one line per package (name, version, status), to tell whether an apt run changed anything.
apt__versions() {
  dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' | sort
}

# apt__autoremovable [APT-OPTION]...: the packages `apt-get autoremove` would remove now, sorted.
apt__autoremovable() {
  apt-get -s "$@" autoremove | awk '$1 == "Remv" { print $2 }' | sort -u
}

# apt__removed_by ARGS...: the packages `apt-get ARGS` would remove or purge, from a simulation.
apt__removed_by() {
  apt-get -s "$@" | awk '$1 == "Remv" || $1 == "Purg" { print $2 }' | sort -u
}

# apt__install: installs requested packages that are missing or (pinned) at another version, in one apt-get run.
apt__install() {
  local -a set=() names=() opts=(install --no-install-recommends)
  local name want
  for name in "${APT_REQUESTED[@]}"; do
    want=${APT_VERSION[$name]}
    if [ -n "${APT_INSTALLED[$name]+x}" ]; then
      if [ -z "$want" ] || [ "${APT_INSTALLED[$name]}" = "$want" ]; then continue; fi
      if [ "$APT_DOWNGRADE" != true ] && dpkg --compare-versions "$want" lt "${APT_INSTALLED[$name]}"; then
        die "apt: $name $want is older than the installed ${APT_INSTALLED[$name]}; set \`apt allow_downgrade = true\` to downgrade"
      fi
    fi
    set+=("$name${want:+=$want}")
    names+=("$name")
  done
  if [ "${#set[@]}" -eq 0 ]; then
    [ "${#APT_REQUESTED[@]}" -eq 0 ] || log_info "apt: every requested package is installed"
    return 0
  fi
  apt__update
  apt__exact_names "${names[@]}"
  if [ "$APT_DOWNGRADE" = true ]; then opts+=(--allow-downgrades); fi
  apt__get "${opts[@]}" "${set[@]}" || die "apt: installing ${set[*]} failed (see the lines above)"
  for name in "${names[@]}"; do APT_MINE[$name]=1; done
  changed "apt: installed ${set[*]}"
  apt__snapshot
}

# apt__exact_names NAME...: dies unless every NAME is exactly the name of a package in the node's apt sources. apt-get
# would read `name-` as "remove name", `name+` as "install name", and `lib.+` as a pattern, when no package has that
# exact name; dbellc's check refuses these forms, and this keeps a script from elsewhere from slipping them through.
apt__exact_names() {
  local name
  for name in "$@"; do
    # Only `.`, `+` and a trailing `-` make apt-get read a valid name as something else.
    [[ $name =~ [.+]|-$ ]] || continue
    if ! apt-cache -o APT::Cache::AllNames=true pkgnames "$name" | grep -Fxq -- "$name"; then
      die "apt: no package is named exactly $name in the node's apt sources; nothing was installed (apt-get would read the name as a pattern or a remove/install request)"
    fi
  done
}

# apt__upgrade: dist-upgrade after the installs, as Divingbell does; a change only if a package changed.
apt__upgrade() {
  local before after
  apt__update
  before=$(apt__versions)
  apt__get dist-upgrade || die "apt: apt-get dist-upgrade failed (see the lines above)"
  after=$(apt__versions)
  if [ "$before" != "$after" ]; then
    changed "apt: dist-upgrade changed $(comm -3 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | awk '{ print $1 }' | sort -u | wc -l) package(s)"
    apt__snapshot
  else
    log_info "apt: dist-upgrade found nothing to upgrade"
  fi
  if [ -f /var/run/reboot-required ]; then log_warn "System reboot REQUIRED."; fi
}
