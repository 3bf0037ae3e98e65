#!/usr/bin/env bash
# Makes sure a headless Chromium is installed for the report-rendering test
# (Tests/FewShotCLITests/ReportCLITests.swift); installs Debian's `chromium` with apt-get when
# running as root (about 140 MB, under a minute here), else prints the command.
set -euo pipefail
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  exit 0
fi
cmd="apt-get install -y chromium"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "fewshot: installing Chromium for the report test ($cmd)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2
else
  echo "error: chromium is missing; install it with: sudo $cmd" >&2
  exit 1
fi
