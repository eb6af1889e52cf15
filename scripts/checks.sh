# shellcheck shell=bash
# Sourced by the scripts that count named checks (scripts/package_test.sh,
# scripts/package_check.sh): check NAME COMMAND... runs the command, prints "ok: NAME" or
# "FAILED: NAME" and counts it in $passed / $failed.
passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then
    echo "ok: $name"
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}

# check_lintian DEB: lintian as one check; errors and warnings fail, and an override must carry
# a comment that explains it (those in debian/ do).
check_lintian() {
  local deb=$1 out rc
  out=$(lintian --fail-on error,warning --display-info --show-overrides "$deb" 2>&1)
  rc=$?
  echo "lintian $(basename "$deb"):"
  echo "${out:-(nothing to say)}" | sed 's/^/  /'
  check "lintian $(basename "$deb"): no errors, no unexplained warnings" test "$rc" -eq 0
}
