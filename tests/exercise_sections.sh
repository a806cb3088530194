#!/bin/sh
# exercise_sections.sh: print every lesson heading an exercise checker names that the
# lesson does not have (nothing, status 0, when all are there).  A checker names its
# own lesson's section with where="HEADING" or as not_yet's last argument written out
# ("Heading" at the end of the line), another lesson's as "lesson N, \"HEADING\""
# (backquotes escaped as \`).
cd "$(dirname "$0")/../tutorial/exercises" || exit 2
{
	for f in [0-9]*-[0-9]*.sh; do
		sed -n "s/^where=\"\(.*\)\"\$/${f%%-*} \1/p" "$f"
		sed -n "s/.*\" \"\([A-Za-z][^\"\$]*\)\"\( *; *}\)*\$/${f%%-*} \1/p" "$f"
	done
	sed -n 's/.*" "\([A-Za-z][^"$]*\)"\( *; *}\)*$/7 \1/p' 7-lib.inc
	grep -ho 'lesson [0-9]*, \\"[^\\]*\(\\`[^\\]*\)*\\"' [0-9]*-[0-9]*.sh 7-lib.inc |
		sed 's/^lesson \([0-9]*\), \\"\(.*\)\\"$/\1 \2/'
} | sed 's/\\`/`/g' | sort -u | while read -r l h; do
	grep -qxF "## $h" ../"$(printf %02d "$l")"-*.md || echo "no heading \"$h\" in lesson $l"
done
