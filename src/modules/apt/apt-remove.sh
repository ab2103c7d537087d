# apt removals: purges with the orphans they leave, the blacklist, packages the policy dropped and strict mode
# (docs/modules/apt.md).

# apt__purge_with_orphans NAME...: purges the packages and the automatically installed ones that only they needed;
# packages apt already considered unneeded before stay (Divingbell's --autoremove removed those too, 3cc1620).
apt__purge_with_orphans() {
  local -a before after orphans=()
  local -A had=()
  local n
  mapfile -t before < <(apt__autoremovable)
  for n in "${before[@]}"; do had[$n]=1; done
  apt__get purge "$@" || die "apt: purging $* failed (see the lines above)"
  mapfile -t after < <(apt__autoremovable)
  for n in "${after[@]}"; do [ -n "${had[$n]+x}" ] || orphans+=("$n"); done
  if [ "${#orphans[@]}" -gt 0 ]; then
    apt__get purge "${orphans[@]}" || die "apt: purging ${orphans[*]} failed (see the lines above)"
    changed "apt: purged ${orphans[*]}, no longer needed"
  fi
}

# apt__blacklist: purges blacklisted packages that are present, unless that would remove a requested package.
apt__blacklist() {
  local -a purge=() victims
  local -A removed=()
  local name
  for name in "${APT_BLACKLIST[@]}"; do
    apt__present "$name" || continue
    if [ -n "${APT_PROTECTED[$name]+x}" ]; then
      log_warn "apt: blacklisted $name is essential or required; not purged"
      continue
    fi
    purge+=("$name")
  done
  [ "${#purge[@]}" -gt 0 ] || return 0
  mapfile -t victims < <(apt__removed_by purge "${purge[@]}")
  for name in "${victims[@]}"; do removed[$name]=1; done
  for name in "${APT_REQUESTED[@]}"; do
    if [ -n "${removed[$name]+x}" ]; then
      die "apt: purging the blacklisted ${purge[*]} would also remove the requested package $name"
    fi
  done
  apt__purge_with_orphans "${purge[@]}"
  for name in "${purge[@]}"; do unset 'APT_MINE[$name]'; done
  changed "apt: purged blacklisted ${purge[*]}"
  apt__snapshot
}

# apt__drop_unrequested: the packages this module installed that the policy no longer requests are handed back to
# apt: marked automatically installed, they are purged with what only they needed, unless something installed still
# needs them. Whitelisted, essential and required packages are only forgotten, never purged.
apt__drop_unrequested() {
  local -a drop=() mark=() purge=() before after
  local -A had=() going=()
  local name
  # Most runs drop nothing: then no sort below.
  for name in "${!APT_MINE[@]}"; do
    if [ -z "${APT_VERSION[$name]+x}" ]; then drop+=("$name"); fi
  done
  [ "${#drop[@]}" -gt 0 ] || return 0
  drop=()
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    if [ -n "${APT_VERSION[$name]+x}" ]; then continue; fi
    unset 'APT_MINE[$name]'
    if [ -n "${APT_WHITE[$name]+x}" ]; then
      log_info "apt: $name is no longer requested but whitelisted; left installed"
    elif [ -n "${APT_PROTECTED[$name]+x}" ]; then
      log_warn "apt: $name is no longer requested but essential or required; left installed"
    elif [ -n "${APT_INSTALLED[$name]+x}" ]; then
      drop+=("$name")
      mark+=("$name")
    elif [ -n "${APT_CONFIG_ONLY[$name]+x}" ]; then
      drop+=("$name")
      purge+=("$name")
    fi
  done < <(printf '%s\n' "${!APT_MINE[@]}" | sort)
  [ "${#drop[@]}" -gt 0 ] || return 0
  mapfile -t before < <(apt__autoremovable)
  for name in "${before[@]}"; do had[$name]=1; done
  if [ "${#mark[@]}" -gt 0 ]; then run apt-mark auto "${mark[@]}" || die "apt: apt-mark auto ${mark[*]} failed"; fi
  mapfile -t after < <(apt__autoremovable)
  for name in "${after[@]}"; do
    if [ -z "${had[$name]+x}" ]; then
      purge+=("$name")
      going[$name]=1
    fi
  done
  for name in "${mark[@]}"; do
    if [ -z "${going[$name]+x}" ]; then changed "apt: $name is no longer requested; other packages need it, so it stays, marked automatically installed"; fi
  done
  if [ "${#purge[@]}" -gt 0 ]; then
    apt__get purge "${purge[@]}" || die "apt: purging ${purge[*]} failed (see the lines above)"
    changed "apt: purged ${purge[*]}, no longer requested"
  fi
  apt__snapshot
}

# apt__strict: every installed package that is not requested, whitelisted, essential or required is marked
# automatically installed, and apt purges those that none of the kept packages needs. (Divingbell purged each one
# outright, with --allow-remove-essential, taking down requested packages that depended on them.)
apt__strict() {
  local -a auto purge to_auto=() to_manual=() kept_base=()
  local -A is_auto=() keep=()
  local -a opts=(-o APT::AutoRemove::RecommendsImportant=false -o APT::AutoRemove::SuggestsImportant=false)
  local name
  for name in "${APT_REQUESTED[@]}"; do keep[$name]=1; done
  for name in "${!APT_WHITE[@]}"; do keep[$name]=1; done
  for name in "${!APT_PROTECTED[@]}"; do
    if [ -z "${keep[$name]+x}" ]; then kept_base+=("$name"); fi
    keep[$name]=1
  done
  mapfile -t auto < <(apt-mark showauto)
  for name in "${auto[@]}"; do is_auto[$name]=1; done
  while IFS= read -r name; do
    [ -n "$name" ] || continue
    if [ -n "${keep[$name]+x}" ]; then
      if [ -n "${is_auto[$name]+x}" ]; then to_manual+=("$name"); fi
    elif [ -z "${is_auto[$name]+x}" ]; then
      to_auto+=("$name")
    fi
  done < <(printf '%s\n' "${!APT_INSTALLED[@]}" | sort)
  if [ "${#to_manual[@]}" -gt 0 ]; then
    run apt-mark manual "${to_manual[@]}" || die "apt: apt-mark manual failed"
    changed "apt: strict: marked ${to_manual[*]} as manually installed"
  fi
  if [ "${#to_auto[@]}" -gt 0 ]; then
    run apt-mark auto "${to_auto[@]}" || die "apt: apt-mark auto failed"
    changed "apt: strict: marked ${#to_auto[@]} unlisted package(s) as automatically installed"
  fi
  mapfile -t purge < <(apt__autoremovable "${opts[@]}")
  if [ "${#purge[@]}" -gt 0 ]; then
    apt__get autoremove --purge "${opts[@]}" || die "apt: strict: apt-get autoremove failed (see the lines above)"
    changed "apt: strict: purged ${purge[*]}"
  fi
  purge=()
  for name in "${!APT_CONFIG_ONLY[@]}"; do
    if [ -z "${keep[$name]+x}" ]; then purge+=("$name"); fi
  done
  if [ "${#purge[@]}" -gt 0 ]; then
    apt__get purge "${purge[@]}" || die "apt: strict: purging ${purge[*]} failed (see the lines above)"
    changed "apt: strict: purged the configuration left by ${purge[*]}"
  fi
  if [ "${#kept_base[@]}" -gt 0 ]; then
    log_info "apt: strict: kept ${#kept_base[@]} essential or required package(s) the policy does not list"
  fi
  apt__snapshot
  APT_MINE=()
  for name in "${APT_REQUESTED[@]}"; do
    if [ -n "${APT_INSTALLED[$name]+x}" ]; then APT_MINE[$name]=1; fi
  done
}
