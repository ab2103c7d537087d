# exec: runs scripts in the host's namespaces with rerun/retry/timeout/blocking policies (Divingbell's exec; docs/modules/exec.md).
# State keeps Divingbell's layout: /var/divingbell/exec/<name> is a script, /var/divingbell/exec/<hash>/ the run record
# of one configuration of it (exit_code, last_run_timestamp). dbellc adds boot_id, rerun_count and retry_count there
# for the count and persist options, and background_pid/background.log/background_done for background runs.
# Scripts work in this directory too (logs, markers, output), so dbellc lists the script files it wrote in
# /var/divingbell/exec/.dbellc-scripts and removes only those; every other file stays (docs/modules/exec.md).

EXEC_DIR=/var/divingbell/exec
# The script files dbellc wrote, one name a line: the only files exec_begin removes.
EXEC_RECORD=.dbellc-scripts
# Seconds between TERM and KILL when a script overruns its timeout (Divingbell's value).
EXEC_GRACE=10
EXEC_BOOT_ID=
EXEC_STATUS=0
EXEC_ENVS=()
EXEC_ARGS=()
# Return values of the helpers below (set, not printed: no command substitution, so no process, per call).
EXEC_KIND=
EXEC_READ=
EXEC_START=
# `<mode> <size> <type>` of each script file there was when the run began, from one stat for all of them.
declare -A EXEC_STAT=()

# exec_begin [NAME HASH]...: enters the state directory and removes the scripts dbellc wrote and the run records that
# the policy no longer has (Divingbell left them forever). A run record whose background run is still going is kept
# until it ends. Files that are not in the record (a script's own files, scripts Divingbell wrote) and directories
# that are not run records stay. The record then lists the policy's scripts, which exec_script writes next. One stat
# reads the policy's script files that exist, for exec_script.
# shellcheck disable=SC2120  # a policy without scripts calls it without arguments: everything goes
exec_begin() {
  dir_ready "$EXEC_DIR"
  cd "$EXEC_DIR" || die "cannot enter $EXEC_DIR"
  file_text /proc/sys/kernel/random/boot_id || die "cannot read /proc/sys/kernel/random/boot_id"
  EXEC_BOOT_ID=$FILE_TEXT
  local -A names=() hashes=()
  local -a kept=() present=()
  while [ $# -ge 2 ]; do
    names[$1]=1
    hashes[$2]=1
    # The compiler passes the scripts in byte order, which is the record's order.
    kept+=("$1")
    if [ -e "$1" ] || [ -L "$1" ]; then present+=("$1"); fi
    shift 2
  done
  local entry base name text
  if [ -f "$EXEC_RECORD" ]; then
    while IFS= read -r name || [ -n "$name" ]; do
      if [ -z "$name" ] || [ -n "${names[$name]+x}" ]; then continue; fi
      # Only a plain script name, and only a regular file: a record edited by hand must not reach other paths.
      if [[ ! $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.+@-]*$ ]]; then
        log_warn "exec: $EXEC_DIR/$EXEC_RECORD names '$name', which is not a script name; ignored"
      elif [ -f "$name" ] && [ ! -L "$name" ]; then
        rm -f -- "$name"
        changed "exec: removed ./$name, no longer in the policy"
      fi
    done <"$EXEC_RECORD"
  fi
  if [ "${#kept[@]}" -eq 0 ]; then
    [ ! -e "$EXEC_RECORD" ] || rm -f -- "$EXEC_RECORD"
  else
    printf -v text '%s\n' "${kept[@]}"
    write_if_changed "$EXEC_RECORD" "${text%$'\n'}" || true
  fi
  # Run records are directories named by a sha256 (never hidden, so the glob sees them all).
  for entry in */; do
    base=${entry%/}
    if [ ! -d "$base" ] || [ -L "$base" ]; then continue; fi
    [[ $base =~ ^[0-9a-f]{64}$ ]] || continue
    [ -n "${hashes[$base]+x}" ] && continue
    if exec__background_alive "$base"; then
      log_info "exec: keeping the run record $base until its background run ends"
      continue
    fi
    rm -rf -- "$base"
    changed "exec: removed the run record $base of a configuration the policy no longer has"
  done
  EXEC_STAT=()
  [ "${#present[@]}" -gt 0 ] || return 0
  # Script names are plain words (no spaces): `%n` maps each line back to its file. `exec`: the substitution's shell
  # becomes stat instead of forking it (it stays for the ERR trap it inherits).
  while IFS=' ' read -r name entry; do
    if [ -n "${names[$name]+x}" ]; then EXEC_STAT[$name]=$entry; fi
  done < <(exec stat -c '%n %a %s %F' -- "${present[@]}" 2>/dev/null)
}

# exec_script NAME BODY: writes the script file (mode 700) if its text differs. The file's mode, size and type come
# from exec_begin's stat; its text is read by bash and compared with BODY only when the size is BODY's. A script that
# ran before this one may have changed the file since: its text is read afresh, one byte more than the size, so a
# file grown since reads as different.
exec_script() {
  local name=$1 body=$2 mode size type text=
  read -r mode size type <<<"${EXEC_STAT[$name]-}"
  if [[ ${type:-} == "regular file" || ${type:-} == "regular empty file" ]] && [ "${size:-}" = "${#body}" ] && [ -f "$name" ] && [ ! -L "$name" ]; then
    # -N: up to SIZE+1 bytes (LC_ALL=C), newlines included; a NUL byte bash drops makes the text shorter than BODY.
    IFS= read -r -d '' -N "$((size + 1))" text <"$name" || :
    if [ "$text" = "$body" ]; then
      [ "$mode" = 700 ] || chmod 700 "$name"
      return 0
    fi
  fi
  file_stage "$name" "$body" 700
  file_commit "$name"
  changed "exec: wrote ./$name"
}

# exec_run NAME HASH OPTION=VALUE... [--env NAME=VALUE]... -- [ARG]...: runs ./NAME if its policies say so.
exec_run() {
  local name=$1 hash=$2
  shift 2
  local rerun_policy=always blocking_policy=foreground timeout=1800 rerun_interval=infinity retry_interval=infinity
  local rerun_interval_persist=true rerun_max_count=unlimited retry_interval_persist=true retry_max_count=unlimited
  EXEC_ENVS=()
  EXEC_ARGS=()
  while [ $# -gt 0 ]; do
    case $1 in
      --env) EXEC_ENVS+=("$2"); shift 2; continue ;;
      --) shift; EXEC_ARGS=("$@"); break ;;
      rerun_policy=*) rerun_policy=${1#*=} ;;
      blocking_policy=*) blocking_policy=${1#*=} ;;
      timeout=*) timeout=${1#*=} ;;
      rerun_interval=*) rerun_interval=${1#*=} ;;
      retry_interval=*) retry_interval=${1#*=} ;;
      rerun_interval_persist=*) rerun_interval_persist=${1#*=} ;;
      rerun_max_count=*) rerun_max_count=${1#*=} ;;
      retry_interval_persist=*) retry_interval_persist=${1#*=} ;;
      retry_max_count=*) retry_max_count=${1#*=} ;;
      *) die "exec: unknown option $1 for ./$name" ;;
    esac
    shift
  done
  [ -d "$hash" ] || mkdir -p "$hash"
  exec__report_background "$name" "$hash"
  local kind
  exec__gate "$hash" "$rerun_policy" "$rerun_interval" "$retry_interval" "$rerun_interval_persist" \
    "$rerun_max_count" "$retry_interval_persist" "$retry_max_count"
  kind=$EXEC_KIND
  case $kind in
    skip:*) log_info "exec: ./$name not run: ${kind#skip:}"; return 0 ;;
  esac
  exec__record_start "$hash" "$kind"
  if [ "$blocking_policy" = background ]; then
    exec__background "$name" "$hash" "$timeout" &
    # Recorded here, not by the supervisor, so that a run of this script right after this one already sees it.
    exec__starttime "$!"
    printf '%s %s %s\n' "$EXEC_BOOT_ID" "$!" "$EXEC_START" >"$hash/background_pid"
    changed "exec: started ./$name in the background (output in $EXEC_DIR/$hash/background.log)"
    return 0
  fi
  log_info "exec: running ./$name"
  exec__supervise "$name" "$timeout"
  exec__record_end "$hash" "$EXEC_STATUS"
  if [ "$EXEC_STATUS" -eq 0 ]; then
    changed "exec: ./$name ran, exit 0"
  else
    if [ "$blocking_policy" = foreground_halt_pod_on_failure ]; then
      die "Killing pod due to non-zero exit code from '$name'."
    fi
    # A failed script is a change to the node too (it ran); the closing line then counts it as a failure.
    DBELL_CHANGES=$((DBELL_CHANGES + 1))
    failed "./$name" "exec: ./$name failed with exit $EXEC_STATUS"
  fi
}

# exec__gate DIR POLICY RERUN_INTERVAL RETRY_INTERVAL RERUN_PERSIST RERUN_MAX RETRY_PERSIST RETRY_MAX: sets EXEC_KIND
# to `first`, `rerun` or `retry` when the script is due, else `skip:<reason>`. Divingbell's gate (docs/modules/exec.md): the
# policy decides whether a successful or failed configuration runs again, the interval when; dbellc adds the per-boot
# counts and `*_persist = false` (a new boot makes the interval pass).
exec__gate() {
  local dir=$1 policy=$2 rerun_interval=$3 retry_interval=$4 rerun_persist=$5 rerun_max=$6 retry_persist=$7 retry_max=$8
  local new_boot=false last interval persist kind
  exec__read "$dir/boot_id"
  [ "$EXEC_READ" = "$EXEC_BOOT_ID" ] || new_boot=true
  if ! run_record_exit "$dir"; then
    if exec__background_alive "$dir"; then
      EXEC_KIND="skip:still running in the background"
    else
      EXEC_KIND=first
    fi
    return 0
  fi
  last=$RUN_EXIT
  if [ "$last" = 0 ]; then
    if [ "$policy" != always ]; then
      EXEC_KIND="skip:ran successfully before (rerun_policy $policy)"
      return 0
    fi
    if [ "$rerun_max" != unlimited ] && exec__count "$dir/rerun_count" "$new_boot" && [ "$EXEC_READ" -ge "$rerun_max" ]; then
      EXEC_KIND="skip:reached rerun_max_count ($rerun_max) for this boot"
      return 0
    fi
    kind=rerun interval=$rerun_interval persist=$rerun_persist
  else
    if [ "$policy" = never ]; then
      EXEC_KIND="skip:failed before with exit $last (rerun_policy never)"
      return 0
    fi
    if [ "$retry_max" != unlimited ] && exec__count "$dir/retry_count" "$new_boot" && [ "$EXEC_READ" -ge "$retry_max" ]; then
      EXEC_KIND="skip:failed $retry_max time(s) in a row this boot (retry_max_count)"
      return 0
    fi
    kind=retry interval=$retry_interval persist=$retry_persist
  fi
  # Divingbell: an `infinity` interval (the default) means no wait, so the script runs on every loop.
  if [ "$persist" = false ] && [ "$new_boot" = true ]; then
    EXEC_KIND=$kind
  elif run_record_due "$dir" "$interval"; then
    EXEC_KIND=$kind
  else
    EXEC_KIND="skip:next $kind due in $RUN_WAIT s"
  fi
}

# exec__read FILE [DEFAULT]: sets EXEC_READ to the first line of FILE if it is a plain number or id, else DEFAULT (or
# empty).
exec__read() {
  local v=
  if [ -f "$1" ]; then IFS= read -r v <"$1" || true; fi
  if [[ $v =~ ^[0-9A-Za-z-]+$ ]]; then EXEC_READ=$v; else EXEC_READ=${2:-}; fi
}

# exec__count FILE NEW_BOOT: sets EXEC_READ to a counter of this boot (counts start again at each boot, as Divingbell
# documented).
exec__count() {
  exec__read "$1" 0
  [[ $EXEC_READ =~ ^[0-9]+$ ]] || EXEC_READ=0
  if [ "$2" = true ]; then EXEC_READ=0; fi
}

# exec__record_start DIR KIND: Divingbell's start record (no exit_code while running, so an interrupted run counts as
# not run) plus the boot and the counters.
exec__record_start() {
  local dir=$1 kind=$2 new_boot=false reruns retries
  exec__read "$dir/boot_id"
  [ "$EXEC_READ" = "$EXEC_BOOT_ID" ] || new_boot=true
  exec__count "$dir/rerun_count" "$new_boot"
  reruns=$EXEC_READ
  exec__count "$dir/retry_count" "$new_boot"
  retries=$EXEC_READ
  case $kind in
    rerun) reruns=$((reruns + 1)) ;;
    retry) retries=$((retries + 1)) ;;
  esac
  run_record_start "$dir" background_done
  printf '%s\n' "$EXEC_BOOT_ID" >"$dir/boot_id"
  printf '%s\n' "$reruns" >"$dir/rerun_count"
  printf '%s\n' "$retries" >"$dir/retry_count"
}

# exec__record_end DIR STATUS: the exit code; a success ends a run of failures, so retries count from zero again.
exec__record_end() {
  run_record_end "$1" "$2"
  [ "$2" -ne 0 ] || printf '0\n' >"$1/retry_count"
}

# exec__alive PID: the process exists and has not exited (a zombie, exited but not yet reaped, counts as gone).
exec__alive() {
  local stat=''
  { IFS= read -r stat <"/proc/$1/stat"; } 2>/dev/null || [ -n "$stat" ] || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# exec__starttime PID: sets EXEC_START to the process's start time in clock ticks since boot (empty if it is gone);
# with the pid it names one process.
exec__starttime() {
  local stat='' fields
  EXEC_START=
  { IFS= read -r stat <"/proc/$1/stat"; } 2>/dev/null || [ -n "$stat" ] || return 0
  read -r -a fields <<<"${stat##*) }"
  EXEC_START=${fields[19]:-}
}

# exec__background_alive DIR: the background run recorded in DIR is still going (same boot, pid and start time).
exec__background_alive() {
  local boot pid start
  [ -f "$1/background_pid" ] || return 1
  read -r boot pid start <"$1/background_pid" || true
  [ "$boot" = "$EXEC_BOOT_ID" ] && [[ $pid =~ ^[0-9]+$ ]] || return 1
  exec__alive "$pid" && exec__starttime "$pid" && [ "$EXEC_START" = "$start" ]
}

# exec__report_background NAME DIR: logs, once, how a background run that ended since the last loop went; a failure
# counts as one of this run's.
exec__report_background() {
  [ -f "$2/background_done" ] || return 0
  local status
  exec__read "$2/exit_code" unknown
  status=$EXEC_READ
  if [ "$status" = 0 ]; then
    log_info "exec: the background run of ./$1 ended with exit 0"
  else
    failed "./$1" "exec: the background run of ./$1 failed with exit $status (output in $EXEC_DIR/$2/background.log)"
  fi
  rm -f "$2/background_done"
}

# exec__log_lines NAME: logs each line read from stdin as the script's output.
exec__log_lines() {
  local line
  # It lives as long as anything holds the script's output open, a daemon the script started too.
  lock_drop
  while IFS= read -r line || [ -n "$line" ]; do log INFO "./$1: $line"; done
}

# exec__supervise NAME TIMEOUT: runs ./NAME with EXEC_ENVS and EXEC_ARGS, cwd $EXEC_DIR, stdin /dev/null, output
# logged line by line; after TIMEOUT seconds TERM, after EXEC_GRACE more KILL, to its whole process group. Sets
# EXEC_STATUS to its exit status.
exec__supervise() {
  local name=$1 timeout=$2 pid logger fd start t polls=0
  exec {fd}> >(exec__log_lines "$name")
  logger=${!:-}
  # env sets the variables (names are checked identifiers) and execs setsid, which, not being a process group leader
  # here, execs the script in place: it keeps this pid and leads its own group, which a timeout then signals as a
  # whole. $0 is ./NAME and the working directory $EXEC_DIR, as in Divingbell.
  # The script does not inherit the module's lock: a daemon it starts must not hold it after the run.
  {
    lock_drop
    exec env -- "${EXEC_ENVS[@]}" setsid "./$name" "${EXEC_ARGS[@]}" </dev/null >&"$fd" 2>&1 {fd}>&-
  } &
  pid=$!
  exec {fd}>&-
  start=$SECONDS
  while exec__alive "$pid"; do
    if [ $((SECONDS - start)) -gt "$timeout" ]; then
      log_error "Hit '$timeout' second timeout waiting for '$name' - terminating."
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      t=$SECONDS
      while exec__alive "$pid" && [ $((SECONDS - t)) -lt "$EXEC_GRACE" ]; do sleep 0.2; done
      if exec__alive "$pid"; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
      break
    fi
    # Short scripts are noticed quickly, long ones polled less often.
    polls=$((polls + 1))
    if [ "$polls" -le 40 ]; then sleep 0.05; else sleep 0.5; fi
  done
  EXEC_STATUS=0
  wait "$pid" || EXEC_STATUS=$?
  # Let the logger print the script's last lines before the result line (it ends when the script's output closes).
  t=$SECONDS
  while [ -n "$logger" ] && exec__alive "$logger" && [ $((SECONDS - t)) -lt 2 ]; do sleep 0.05; done
}

# exec__background NAME DIR TIMEOUT: the supervisor of a background run, detached from the pod's output; records the
# exit code like a foreground run, then leaves background_done for the next loop to report.
exec__background() {
  local name=$1 dir=$2 timeout=$3
  trap - ERR
  set +o errexit
  # It runs on after the host script: the next run of the module must not wait for it.
  lock_drop
  exec </dev/null >"$dir/background.log" 2>&1
  exec__supervise "$name" "$timeout"
  exec__record_end "$dir" "$EXEC_STATUS"
  log_info "exec: ./$name ended with exit $EXEC_STATUS"
  : >"$dir/background_done"
  rm -f "$dir/background_pid"
}
