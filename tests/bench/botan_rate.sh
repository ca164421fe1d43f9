# shellcheck shell=bash
# botan_rate sign|decrypt: Botan's raw RSA-2048 private-key rate on one core (`botan speed`,
# 2 s), as an integer per second. Sourced by the S/MIME transport benchmarks.
botan_rate() {
  local op=$1 line
  if [[ $op == sign ]]; then
    line=$(botan speed --msec=2000 --provider=base RSA 2>/dev/null | grep '^RSA-2048 .* sign/sec')
    awk '{for (i=1;i<=NF;i++) if ($i == "sign/sec;") {print int($(i-1)); exit}}' <<<"$line"
  else
    line=$(botan speed --msec=2000 --provider=base RSA 2>/dev/null | grep '^RSA-2048 .* decrypt/sec')
    awk '{for (i=1;i<=NF;i++) if ($i == "decrypt/sec;") {print int($(i-1)); exit}}' <<<"$line"
  fi
}
