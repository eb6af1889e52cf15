#!/usr/bin/env bash
# Checks the layout and the names of the C++ tree: clang-format (.clang-format) on every tracked
# source, test, bench and fuzz file, and clang-tidy's readability-identifier-naming (.clang-tidy)
# on every src/ translation unit and the src/ headers they include. Needs a configured build
# for compile_commands.json (scripts/build.sh release). Prints each finding, then
# "lint: format N files, names N findings"; exits non-zero when either is not zero.
#   scripts/lint.sh [build dir, default build]   --fix: rewrite the files' layout in place
set -uo pipefail
cd "$(dirname "$0")/.."
fix=0
[ "${1:-}" = "--fix" ] && { fix=1; shift; }
dir=${1:-build}
for tool in clang-format clang-tidy run-clang-tidy; do
  command -v "$tool" >/dev/null || { echo "lint.sh: $tool not found (run scripts/setup.sh)" >&2; exit 2; }
done
[ -f "$dir/compile_commands.json" ] || { echo "lint.sh: no $dir/compile_commands.json (run scripts/build.sh release)" >&2; exit 2; }

mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'fuzz/*.cc')
if [ "$fix" = 1 ]; then
  clang-format -i "${files[@]}"
  echo "lint.sh: formatted ${#files[@]} files"
  exit 0
fi
unformatted=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "format: $f (bash scripts/lint.sh --fix rewrites it)"
    unformatted=$((unformatted + 1))
  fi
done

log=$(mktemp)
run-clang-tidy -p "$dir" -j "$(nproc)" -quiet "$PWD/src/" >"$log" 2>&1
# One line per finding, each once (a header's finding repeats for every unit that includes it).
names=$(grep -E '(warning|error): .*\[readability-identifier-naming' "$log" | sed -E 's/\x1b\[[0-9;]*m//g' |
        sed -E "s#^$PWD/##" | sort -u)
count=0
[ -n "$names" ] && { echo "$names"; count=$(wc -l <<<"$names"); }
if grep -qE 'error: .*(file not found|unknown argument)' "$log"; then
  grep -E 'error: .*(file not found|unknown argument)' "$log" | head -5
  count=$((count + 1))
fi
rm -f "$log"
echo "lint: format ${unformatted} files, names ${count} findings"
[ "$unformatted" -eq 0 ] && [ "$count" -eq 0 ]
