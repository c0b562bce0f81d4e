#!/usr/bin/env bash
# Secrets: while a command works, its password is in neither its command line
# (/proc/<pid>/cmdline) nor its environment, whether it came on a descriptor
# or as -Password text (which the binder wipes from argv at once).
. "$(dirname "$0")/lib.sh"
needs strace

secret='hunter2-Sup3r-s3cret'
cert=$(New-SelfSignedCertificate -DnsName secrets.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My')
cd "$WORK"

# Runs an export held for two seconds at its rename (strace delays the call),
# and copies what /proc shows of it meanwhile into cmdline.txt and environ.txt.
held_export() {   # MODE (argv|fd)
	local args=(-Cert "$cert" -FilePath "held-$1.pfx") pid
	[ "$1" = argv ] && args+=(-Password "$secret")
	if [ "$1" = fd ]; then
		PKISHIM_PASSWORD_FD=3 strace -f -qq -o /dev/null -e trace=rename \
			-e inject=rename:delay_enter=2000000 Export-PfxCertificate "${args[@]}" \
			3<<<"$secret" &
	else
		strace -f -qq -o /dev/null -e trace=rename -e inject=rename:delay_enter=2000000 \
			Export-PfxCertificate "${args[@]}" &
	fi
	sleep 1
	pid=$(pgrep -n -x Export-PfxCerti || pgrep -n -f 'Export-PfxCertificate -Cert')
	tr '\0' '\n' <"/proc/$pid/cmdline" >"cmdline-$1.txt"
	tr '\0' '\n' <"/proc/$pid/environ" >"environ-$1.txt"
	wait
}

for mode in argv fd; do
	held_export "$mode"
	check "$mode: the command was caught while working" test -s "cmdline-$mode.txt"
	check "$mode: the command line holds no password" test -z "$(grep -F -- "$secret" "cmdline-$mode.txt")"
	check "$mode: the environment holds no password" test -z "$(grep -F -- "$secret" "environ-$mode.txt")"
	check "$mode: the PFX opens with the password" \
		openssl pkcs12 -in "held-$mode.pfx" -passin "pass:$secret" -noout
done
check "argv: the wiped argument is still there, emptied" grep -qx -- '-Password' cmdline-argv.txt

# A NUL byte would end a C string there: the password is refused whole,
# never cut to what comes before it (here, the empty password).
PKISHIM_PASSWORD_FD=3 run Export-PfxCertificate -Cert "$cert" -FilePath nul.pfx \
	3< <(printf '\0secretsecret')
expect_fail "a password with a NUL byte is refused" "Export-PfxCertificate: The password on descriptor 3 holds a NUL byte, which would cut it short; give a password without NUL bytes (for binary secrets, pass them encoded, e.g. in base64)."
check "and no file is written" test ! -e nul.pfx
PKISHIM_PASSWORD_FD=3 run Get-PfxCertificate -FilePath held-fd.pfx 3< <(printf 'hunter2\0')
expect_fail_match "a trailing NUL byte is refused too" "holds a NUL byte"

# While a command waits on its password descriptor, another process of the
# same user can neither read its /proc files nor attach to it: the process
# is not dumpable (its /proc entries become root's) and makes no core file.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 711 "$WORK"
	cp held-fd.pfx "$WORK/open.pfx" && chmod 644 "$WORK/open.pfx"
	# setpriv itself (not the as_nobody function) so that $! is the command
	PKISHIM_PASSWORD_FD=3 setpriv --reuid=65534 --regid=65534 --clear-groups Get-PfxCertificate -FilePath "$WORK/open.pfx" \
		3< <(sleep 3; printf '%s' "$secret") >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$PKISHIM_BIN/Get-PfxCertificate" ] && break
		sleep 0.05
	done
	sleep 0.2
	check "the waiting command runs as nobody" test "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 65534
	check "its /proc entries belong to root (not dumpable)" test "$(stat -c %u "/proc/$pid/environ")" = 0
	check_not "nobody cannot read its environment" as_nobody cat "/proc/$pid/environ"
	check "it makes no core file" grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits"
	# strace exits at once when the attach is refused; an attach that worked runs on.
	timeout 2 setpriv --reuid=65534 --regid=65534 --clear-groups \
		strace -qq -o /dev/null -p "$pid" 2>/dev/null
	attach=$?
	check "nobody cannot attach to it (strace: $attach)" test "$attach" != 0 -a "$attach" != 124
	wait "$pid"
	check "and then it reads the file with the password" test $? = 0
	# The control: a same-user process without the protection is readable.
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 2 &
	ctl=$!
	sleep 0.2
	check "(control: a plain process of nobody's is readable by nobody)" as_nobody cat "/proc/$ctl/environ"
	wait "$ctl"
else
	echo "skipped: the second-user checks need root and setpriv"
fi

finish
