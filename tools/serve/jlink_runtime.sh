#!/usr/bin/env bash
# Builds the trimmed Java runtime that `lstm serve` runs on in the container image (Dockerfile)
# into $1 (default: target/runtime). The modules are what `jdeps --print-module-deps` lists for
# the jar and its libraries, plus the Vector API (an incubator module jdeps does not follow) and
# jdk.management (the process CPU time /metrics reports). GracefulShutdownTest builds it with this
# script and serves a model on it, so the list is checked on every test run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$here/target/runtime}"
java_home="$("$here/lstm" --java-home)"  # the launcher's pick: JAVA_HOME when it is a JDK 25, else the one it finds (a JDK 17's jlink failed on zip-6)
modules="java.base,java.desktop,java.management,java.net.http,jdk.httpserver,jdk.incubator.vector,jdk.management,jdk.unsupported"
rm -rf "$out"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$out"
echo "$out: $(du -sh "$out" | cut -f1) ($modules)"
