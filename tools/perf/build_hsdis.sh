#!/usr/bin/env bash
# Builds a HotSpot disassembler plugin (hsdis) over Capstone, so that JMH's `-prof perfasm` and
# -XX:+PrintAssembly show instructions instead of raw bytes. Temurin ships no hsdis, and Debian's
# libhsdis0-fcml exports only the pre-JDK-9 entry point (`decode_instructions`); JDK 25 looks for
# `decode_instructions_virtual`. A developer tool, not part of the build or CI.
#
# Usage: tools/perf/build_hsdis.sh [OUT_DIR=target/hsdis]
#   then: LD_LIBRARY_PATH=OUT_DIR java ... -jar jmh/target/benchmarks.jar ... -prof perfasm:events=cpu-clock
#   (cpu-clock: our VMs expose no hardware counters to perf; jmh/README.md, "Looking at the generated code").
# Needs gcc and Capstone's headers (Debian: apt-get install gcc libcapstone-dev). x86-64 only. It
# prints plain instructions and ignores HotSpot's event callback and options: enough for perfasm,
# whose annotations come from perf, while -XX:+PrintAssembly loses HotSpot's per-instruction notes.
set -euo pipefail
out="${1:-target/hsdis}"
mkdir -p "$out"
cat > "$out/hsdis-capstone.c" <<'C'
/* HotSpot's disassembler protocol (decode_instructions_virtual), answered by Capstone in AT&T syntax. */
#include <inttypes.h>
#include <capstone/capstone.h>

void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
                                  void* (*event_callback)(void*, const char*, void*), void* event_stream,
                                  int (*printf_callback)(void*, const char*, ...), void* printf_stream,
                                  const char* options, int newline) {
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return NULL;
  cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
  cs_insn* insn;
  size_t count = cs_disasm(handle, buffer, length, (uint64_t) start_va, 0, &insn);
  for (size_t i = 0; i < count; i++) {
    printf_callback(printf_stream, "  0x%" PRIx64 ":\t%s\t\t%s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
  }
  if (count > 0) cs_free(insn, count);
  cs_close(&handle);
  return NULL;
}
C
gcc -O2 -shared -fPIC -o "$out/hsdis-amd64.so" "$out/hsdis-capstone.c" -lcapstone
echo "built $out/hsdis-amd64.so; use it with LD_LIBRARY_PATH=$(cd "$out" && pwd)"
