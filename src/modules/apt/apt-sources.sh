# apt repositories: while the policy lists repositories they replace the node's apt sources; the node's own sources
# wait in /var/divingbell/apt/sources-backup and come back when the policy drops its repositories. The policy's keys
# become Divingbell's keyring file, /etc/apt/trusted.gpg.d/divingbell.gpg; other keys are never touched.
APT_BACKUP=/var/divingbell/apt/sources-backup
APT_KEYRING=/etc/apt/trusted.gpg.d/divingbell.gpg
APT_HEADER='#The list of repositories managed by Divingbell'

# apt_repositories SOURCES KEYRING_BASE64: the policy's repositories replace the node's apt sources; with SOURCES
# empty, sources set aside by an earlier run are put back.
apt_repositories() {
  local sources=$1 keyring=$2 f base
  if [ -z "$sources" ]; then
    apt__restore_sources
    return 0
  fi
  apt__backup_sources
  if file_put /etc/apt/sources.list "$sources" 644; then
    changed "apt: wrote /etc/apt/sources.list with the policy's repositories"
    APT_LISTS_STALE=true
  fi
  mkdir -p /etc/apt/sources.list.d
  while IFS= read -r -d '' f; do
    base=${f##*/}
    if [ ! -e "$APT_BACKUP/sources.list.d/$base" ] && [ ! -L "$APT_BACKUP/sources.list.d/$base" ]; then
      mv -f -- "$f" "$APT_BACKUP/sources.list.d/$base"
    elif cmp -s -- "$f" "$APT_BACKUP/sources.list.d/$base"; then
      rm -f -- "$f"
    else
      log_warn "apt: $f differs from the copy saved earlier; keeping the saved copy"
      rm -f -- "$f"
    fi
    changed "apt: set $f aside; the policy's repositories replace it"
    APT_LISTS_STALE=true
  done < <(find /etc/apt/sources.list.d -mindepth 1 -maxdepth 1 \( -type f -o -type l \) -print0)
  apt__install_keyring "$keyring"
  if [ "$APT_LISTS_STALE" = true ]; then apt__update; fi
}

# apt__backup_sources: saves the node's own sources once, before the policy's repositories first replace them.
apt__backup_sources() {
  [ ! -d "$APT_BACKUP" ] || return 0
  rm -rf "$APT_BACKUP.new"
  mkdir -p "$APT_BACKUP.new/sources.list.d"
  if [ -e /etc/apt/sources.list ]; then cp -a /etc/apt/sources.list "$APT_BACKUP.new/sources.list"; fi
  if [ -d /etc/apt/sources.list.d ]; then cp -a /etc/apt/sources.list.d/. "$APT_BACKUP.new/sources.list.d/"; fi
  mv "$APT_BACKUP.new" "$APT_BACKUP"
  changed "apt: saved the node's apt sources in $APT_BACKUP"
}

# apt__restore_sources: puts back the sources saved by apt__backup_sources and removes the policy's key.
apt__restore_sources() {
  [ -d "$APT_BACKUP" ] || return 0
  local f first=
  if [ -e "$APT_BACKUP/sources.list" ] || [ -L "$APT_BACKUP/sources.list" ]; then
    mv -f "$APT_BACKUP/sources.list" /etc/apt/sources.list
  elif [ -f /etc/apt/sources.list ]; then
    IFS= read -r first </etc/apt/sources.list || true
    if [ "$first" = "$APT_HEADER" ]; then rm -f /etc/apt/sources.list; fi
  fi
  mkdir -p /etc/apt/sources.list.d
  while IFS= read -r -d '' f; do
    mv -f -- "$f" "/etc/apt/sources.list.d/${f##*/}"
  done < <(find "$APT_BACKUP/sources.list.d" -mindepth 1 -maxdepth 1 -print0)
  rm -f "$APT_KEYRING"
  rm -rf "$APT_BACKUP"
  changed "apt: restored the node's own apt sources"
  APT_LISTS_STALE=true
  apt__update
}

# apt__install_keyring BASE64: the policy's keys as Divingbell's keyring file (no key: the file goes). Other keys stay.
apt__install_keyring() {
  local tmp="$APT_KEYRING.dbell-tmp" stray
  mkdir -p /etc/apt/trusted.gpg.d
  if [ -n "$1" ]; then
    printf '%s' "$1" | base64 -d >"$tmp" || die "apt: cannot decode the repository keys"
    if [ -f "$APT_KEYRING" ] && cmp -s "$tmp" "$APT_KEYRING"; then
      rm -f "$tmp"
    else
      chmod 644 "$tmp"
      mv -f "$tmp" "$APT_KEYRING"
      changed "apt: installed the repositories' keys as $APT_KEYRING"
      APT_LISTS_STALE=true
    fi
  elif [ -e "$APT_KEYRING" ]; then
    rm -f "$APT_KEYRING"
    changed "apt: removed $APT_KEYRING; no repository of the policy has a key"
    APT_LISTS_STALE=true
  fi
  # Divingbell before f0eb0b7 misspelt its keyring; those copies are its own leftovers.
  for stray in /etc/apt/trusted.gpg.d/divindbell.gpg /etc/apt/trusted.gpg.d/divindbell_temp.gpg; do
    if [ -e "$stray" ]; then
      rm -f "$stray"
      changed "apt: removed $stray, left by an old Divingbell"
    fi
  done
}
