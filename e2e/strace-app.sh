#!/usr/bin/env bash
# Launches the desktop app under strace, recording every connect() of the app and of the
# WebKit processes it spawns, so the smoke test can prove no request left the machine.
set -euo pipefail
exec strace -f -qq -e trace=connect -e signal=none -o "${ONEMAP_STRACE_LOG:?}" "${ONEMAP_APP:?}" "$@"
