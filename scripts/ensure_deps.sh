#!/usr/bin/env bash
# Makes sure the system library fewshot links (libutf8proc, found through pkg-config) is
# installed; installs it with apt-get when running as root, else prints the command.
set -euo pipefail
if pkg-config --exists libutf8proc 2>/dev/null && [ -f /usr/include/utf8proc.h ]; then
  exit 0
fi
exec "$(dirname "$0")/apt_install.sh" libutf8proc libutf8proc-dev pkg-config
