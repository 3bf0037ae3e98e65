#!/usr/bin/env bash
# Installs Debian packages that a fresh machine lacks: with apt-get when running as root, else
# it prints the command to run and fails. Used by ensure_deps.sh, ensure_browser.sh and
# test_spark.sh once each has found its package missing.
#   usage: scripts/apt_install.sh WHAT PACKAGE...   (WHAT names the need in the messages)
set -euo pipefail
what=$1
shift
cmd="apt-get install -y $*"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "fewshot: installing $what ($cmd)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2
else
  echo "error: $what is missing; install it with: sudo $cmd" >&2
  exit 1
fi
