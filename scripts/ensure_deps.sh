#!/usr/bin/env bash
# Makes sure the system library fewshot links (libutf8proc, found through pkg-config) is
# installed; installs it with apt-get when running as root, else prints the command.
set -euo pipefail
if pkg-config --exists libutf8proc 2>/dev/null && [ -f /usr/include/utf8proc.h ]; then
  exit 0
fi
cmd="apt-get install -y libutf8proc-dev pkg-config"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "fewshot: installing libutf8proc ($cmd)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2
else
  echo "error: libutf8proc is missing; install it with: sudo $cmd" >&2
  exit 1
fi
