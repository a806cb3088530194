#!/bin/sh
# setup-bcc.sh: let BCC compile on a kernel that has no headers package.
#
# BCC compiles its C text at run time against /lib/modules/$(uname -r)/build (and
# source).  This kernel has no headers package, so the bench links Debian's
# linux-headers (installed by tests/deps.sh bench) there.  Bench set-up only: nothing
# the project runs needs it.  Leaves existing links alone.  Exit 1 if BCC cannot run.
set -u
mod=/lib/modules/$(uname -r)
if [ ! -e "$mod/build" ]; then
	hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)
	common=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | sort -V | tail -1)
	if [ -z "$hdr" ] || [ -z "$common" ]; then
		echo "setup-bcc: no /usr/src/linux-headers-*-amd64 (tests/deps.sh bench installs it)" >&2
		exit 1
	fi
	mkdir -p "$mod" || exit 1
	ln -s "$hdr" "$mod/build" && ln -s "$common" "$mod/source" || exit 1
	echo "setup-bcc: linked $mod/build -> $hdr, source -> $common (for BCC)" >&2
fi
/usr/bin/python3 -c 'import bcc' 2>/dev/null || { echo "setup-bcc: /usr/bin/python3 cannot import bcc" >&2; exit 1; }
