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

finish
