#!/usr/bin/env bash
# Makes sure a headless Chromium is installed for the report-rendering test
# (Tests/FewShotCLITests/ReportCLITests.swift); installs Debian's `chromium` with apt-get when
# running as root (about 140 MB, under a minute here), else prints the command.
set -euo pipefail
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  exit 0
fi
exec "$(dirname "$0")/apt_install.sh" "Chromium (for the report test)" chromium
