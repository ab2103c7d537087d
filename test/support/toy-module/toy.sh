# toy: each wanted note is a file in /etc/dbell-toy; a note that leaves the policy is removed.

TOY_DIR=/etc/dbell-toy
declare -A TOY_WANTED=()

# toy_want NAME TEXT: writes the note NAME (once per run) and remembers it.
toy_want() {
  local name=$1 text=$2
  TOY_WANTED[$name]=1
  mkdir -p "$TOY_DIR"
  if [[ ! -f $TOY_DIR/$name ]] || [[ $(<"$TOY_DIR/$name") != "$text" ]]; then
    printf '%s\n' "$text" >"$TOY_DIR/$name.dbell-tmp"
    mv -f "$TOY_DIR/$name.dbell-tmp" "$TOY_DIR/$name"
  fi
}

# toy_sync: removes the notes no longer wanted.
toy_sync() {
  local f
  [[ -d $TOY_DIR ]] || return 0
  for f in "$TOY_DIR"/*; do
    [[ -e $f ]] || continue
    [[ -n ${TOY_WANTED[${f##*/}]:-} ]] || rm -f -- "$f"
  done
}
