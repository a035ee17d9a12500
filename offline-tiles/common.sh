# Shared by offline-tiles/build.sh and offline-tiles/glyphs.sh (sourced, not run).
# The caller sets HERE (this folder) first; this file sets ROOT and CACHE and
# defines apt_install.

ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/onemap"

# apt_install PKG...: install Debian packages quietly (sudo unless root).  Waits for
# another apt/dpkg run (e.g. a provisioning job) instead of fighting the lock.
apt_install() {
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  for _ in $(seq 1 120); do
    pgrep -x apt-get >/dev/null 2>&1 || pgrep -x dpkg >/dev/null 2>&1 || break
    sleep 5
  done
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null
}
