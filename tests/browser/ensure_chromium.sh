#!/usr/bin/env bash
# Debian's Chromium for the browser tests (`make browser`; `make test` and `make bench` call it).
# Present: nothing to do. Missing: install it with apt-get when running as root. Still missing:
# under CI=true that is an error; elsewhere the browser tests will skip, and we say so.
set -u
CHROMIUM="${TWITCH_CHROMIUM:-/usr/bin/chromium}"

[ -x "$CHROMIUM" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests (apt-get, about 30 s) ..."
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >/tmp/ensure_chromium.$$.log 2>&1 \
        || { echo "apt-get could not install chromium; last lines of its log:"; tail -n 15 /tmp/ensure_chromium.$$.log; }
    rm -f /tmp/ensure_chromium.$$.log
fi

[ -x "$CHROMIUM" ] && { echo "chromium installed: $CHROMIUM"; exit 0; }

if [ "${CI:-}" = "true" ]; then
    echo "error: $CHROMIUM is missing and could not be installed (needs root and apt-get: apt-get install -y chromium)." >&2
    echo "CI=true: the browser test layer must run, so this is a failure." >&2
    exit 1
fi
echo "note: $CHROMIUM is missing (install it as root: apt-get install -y chromium)."
echo "      The browser tests (tests/browser) will be SKIPPED; everything else runs."
exit 0
