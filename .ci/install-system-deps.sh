#!/usr/bin/env bash
# System packages the tests need on a fresh Debian/Ubuntu machine: Chromium, for the end-to-end test through the
# Microsoft 365 Agents Playground (tests/e2e/playground.test.ts). Idempotent: when /usr/bin/chromium is there it
# does nothing but say so; otherwise one `apt-get update` and one quiet install (about a minute).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "chromium: already installed ($("$CHROMIUM" --version 2>/dev/null || echo "version unknown"))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: $CHROMIUM is missing and this machine has no apt-get; install Chromium so that $CHROMIUM exists." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "chromium: installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 chromium >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "chromium: the package installed but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null || echo "version unknown"))"
