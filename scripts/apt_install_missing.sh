# shellcheck shell=bash
# Sourced by scripts/setup.sh and scripts/setup_cross.sh: the "install what is missing" step
# they share.
#   apt_install_missing NAME PACKAGE...
# Installs (apt-get, as root or through sudo) the packages dpkg does not list as installed;
# "pkg:arch" names a foreign architecture's package. Prints "NAME: all packages present" when
# there is nothing to do. Waits up to 10 minutes for dpkg's lock (another setup or package
# build may hold it); a failed `apt-get update` (a source without an index for a new
# architecture) only warns, and the install says whether what is needed was found.
apt_install_missing() {
  local name=$1
  shift
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "$name: all packages present"
    return 0
  fi
  echo "$name: installing ${missing[*]}"
  local sudo=() apt=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" "${apt[@]}" update -qq || echo "$name: apt-get update reported errors (continuing)" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
}
