#!/bin/sh
# check.sh LESSON N [DIR]: what `make exercise LESSON=L N=N [TREE=DIR]` runs.
tree=
[ -z "$3" ] || tree=$(cd "$3" && pwd) || exit 2
cd "$(dirname "$0")" || exit 2
[ -n "$1" ] && [ -n "$2" ] || { echo "usage: make exercise LESSON=L N=N   (e.g. LESSON=1 N=1)" >&2; ls *-*.sh | sed 's/\.sh$//; s/^/  exercise /' >&2; exit 2; }
f="$(echo "$1" | sed 's/^0*//')-$2.sh"
[ -x "$f" ] || { echo "no exercise $1.$2; there are:" >&2; ls *-*.sh | sed 's/\.sh$//; s/^/  /' >&2; exit 2; }
exec "./$f" ${tree:+"$tree"}
