#!/usr/bin/env bash
# Concurrency, SIGKILL and special files (README "Safety"): parallel writers on
# one service file and one store lose no update and no key, leave no partial
# file, temporary or lock; only regular files are replaced or read, at once.
. "$(dirname "$0")/lib.sh"
needs openssl flock timeout
cd "$WORK"

N=6        # writers at once
M=4        # rounds
thumb() { printf '%040X' "$1"; }   # a well-formed thumbprint from a number

# A configuration with one role and N certificates C1..CN.
{
	echo '<?xml version="1.0" encoding="utf-8"?>'
	echo '<ServiceConfiguration serviceName="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">'
	echo '  <Role name="Web"><Instances count="1" /><Certificates>'
	for i in $(seq 1 $N); do
		echo "    <Certificate name=\"C$i\" thumbprint=\"$(thumb 0)\" thumbprintAlgorithm=\"sha1\" />"
	done
	echo '  </Certificates></Role>'
	echo '</ServiceConfiguration>'
} >svc.cscfg

value_of() {   # NAME: the thumbprint C<NAME> has in svc.cscfg
	grep -o "name=\"$1\" thumbprint=\"[0-9A-F]*\"" svc.cscfg | sed 's/.*thumbprint="\(.*\)"/\1/'
}
no_leftovers() {   # DIR: no temporary of ours in it
	! ls -A "$1" | grep -q 'pkishim-tmp'
}

# 1. Different names at once: every writer that exits 0 has its change in the file.
lost=0 failed=0
for r in $(seq 1 $M); do
	pids=()
	for i in $(seq 1 $N); do
		Set-ServiceCertificate -Path svc.cscfg -Name "C$i" -Thumbprint "$(thumb $((r * 100 + i)))" \
			>/dev/null 2>"err.$i" &
		pids+=($!)
	done
	for i in $(seq 1 $N); do
		wait "${pids[$((i - 1))]}" || { failed=$((failed + 1)); cat "err.$i"; }
		[ "$(value_of "C$i")" = "$(thumb $((r * 100 + i)))" ] || lost=$((lost + 1))
	done
done
check "$N parallel writers x $M rounds on different names: all exit 0 ($failed failed)" test "$failed" = 0
check "... and no update is lost ($lost lost)" test "$lost" = 0
run Get-ServiceCertificate -LiteralPath svc.cscfg
check "... and the file is whole" test "$RC" = 0
check "... and no temporary is left" no_leftovers .

# 2. The same name at once: the file holds one of the values, whole.
pids=()
for i in $(seq 1 $N); do
	Set-ServiceCertificate -Path svc.cscfg -Name C1 -Thumbprint "$(thumb $((900 + i)))" >/dev/null 2>&1 &
	pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
v=$(value_of C1)
check "$N writers of one name all exit 0 and one value wins ($v)" \
	test "$failed" = 0 -a "${v:0:37}" = "$(thumb 900 | cut -c1-37)"

# 3. SIGKILLs mixed in: the survivors' changes are all there; the file is whole;
#    the next writer removes what the killed ones left; no lock blocks it.
lost=0
for r in $(seq 1 $M); do
	pids=()
	for i in $(seq 1 $N); do
		Set-ServiceCertificate -Path svc.cscfg -Name "C$i" -Thumbprint "$(thumb $((5000 + r * 100 + i)))" \
			>/dev/null 2>&1 &
		pids+=($!)
	done
	sleep "0.0$((RANDOM % 10))"
	victim=$((RANDOM % N))
	kill -KILL "${pids[$victim]}" 2>/dev/null
	for i in $(seq 1 $N); do
		if wait "${pids[$((i - 1))]}"; then
			[ "$(value_of "C$i")" = "$(thumb $((5000 + r * 100 + i)))" ] || lost=$((lost + 1))
		fi
	done
	run Get-ServiceCertificate -LiteralPath svc.cscfg
	[ "$RC" = 0 ] || lost=$((lost + 1))
done
check "writers killed among $N x $M: no survivor's update lost, the file always whole" test "$lost" = 0
PKISHIM_LOCK_TIMEOUT=2 run Set-ServiceCertificate -Path svc.cscfg -Name C1 -Thumbprint "$(thumb 1)"
expect_ok "after SIGKILLs no lock blocks the next writer"
check "... which leaves no temporary behind" no_leftovers .

# 4. A lock held longer than PKISHIM_LOCK_TIMEOUT: one message naming the file, nothing changed.
cp svc.cscfg before.cscfg
flock "$WORK" sleep 3 &
holder=$!
sleep 0.3
PKISHIM_LOCK_TIMEOUT=0.5 run Set-ServiceCertificate -Path svc.cscfg -Name C2 -Thumbprint "$(thumb 2)"
expect_fail_match "a held lock times out, naming the file and why" \
	"^Set-ServiceCertificate: Cannot write '.*svc.cscfg': another pkishim command has been writing in '.*' for longer than 0.5 seconds \(PKISHIM_LOCK_TIMEOUT\); nothing was changed.$"
check "... and the file is unchanged" cmp -s svc.cscfg before.cscfg
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# 5. One store, N New-SelfSignedCertificate at once: every one lands with its key.
MY="$PKISHIM_STORE_ROOT/CurrentUser/my"
pids=()
for i in $(seq 1 $N); do
	New-SelfSignedCertificate -DnsName "par$i.example" -KeyAlgorithm ECDSA_nistP256 \
		-CertStoreLocation 'Cert:\CurrentUser\My' >"new.$i" 2>&1 &
	pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
keyed=0
for f in "$MY"/*.pfx; do
	openssl pkcs12 -in "$f" -passin pass: -nodes 2>/dev/null | grep -q 'PRIVATE KEY' && keyed=$((keyed + 1))
done
check "$N parallel New-SelfSignedCertificate into one store: $keyed of $N with keys" \
	test "$failed/$keyed" = "0/$N"

# 6. The same certificate with and without its key at once: the key is never lost.
cert=$(New-SelfSignedCertificate -DnsName race.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My')
T=${cert##*\\}
Export-PfxCertificate -Cert "$cert" -FilePath race.pfx -Password pw >/dev/null
Export-Certificate -Cert "$cert" -FilePath race.cer >/dev/null
CA="$PKISHIM_STORE_ROOT/CurrentUser/ca"
lost=0
for r in $(seq 1 10); do
	rm -f "$CA/$T.pfx"
	Import-Certificate -FilePath race.cer -CertStoreLocation 'Cert:\CurrentUser\CA' >/dev/null 2>&1 &
	a=$!
	Import-PfxCertificate -FilePath race.pfx -CertStoreLocation 'Cert:\CurrentUser\CA' -Password pw \
		>/dev/null 2>&1 &
	b=$!
	Import-Certificate -FilePath race.cer -CertStoreLocation 'Cert:\CurrentUser\CA' >/dev/null 2>&1 &
	c=$!
	wait $a $b $c
	openssl pkcs12 -in "$CA/$T.pfx" -passin pass: -nodes 2>/dev/null | grep -q 'PRIVATE KEY' ||
		lost=$((lost + 1))
done
check "Import-Certificate racing Import-PfxCertificate x 10: no key lost ($lost)" test "$lost" = 0
rm -f "$CA/$T.pfx"
run Import-Certificate -FilePath race.cer -CertStoreLocation 'Cert:\CurrentUser\CA'
run Import-PfxCertificate -FilePath race.pfx -CertStoreLocation 'Cert:\CurrentUser\CA' -Password pw
check "adding the key to a key-less entry works" \
	sh -c "openssl pkcs12 -in '$CA/$T.pfx' -passin pass: -nodes 2>/dev/null | grep -q 'PRIVATE KEY'"
check "the store has no temporary left" no_leftovers "$CA"

# 7. Special files as outputs: refused with one message, left as they were.
mkfifo fifo.cer
python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" sock.cer
ln -s race.cer link.cer
made_dev=0
mknod dev.cer c 1 3 2>/dev/null && made_dev=1
for t in fifo:FIFO sock:socket dev:device link:"symbolic link"; do
	name=${t%%:*} kind=${t#*:}
	[ "$name" != dev ] || [ "$made_dev" = 1 ] || continue
	type_before=$(stat -c %F "$name.cer")
	run timeout 5 Export-Certificate -Cert "$cert" -FilePath "$name.cer" -Force
	expect_fail_match "Export-Certificate refuses a $kind as output" "^Export-Certificate: '.*$name.cer' is a $kind"
	check "... and leaves it a $type_before" test "$(stat -c %F "$name.cer")" = "$type_before"
	run timeout 5 Export-PfxCertificate -Cert "$cert" -FilePath "$name.cer" -Password pw -Force
	expect_fail_match "Export-PfxCertificate refuses a $kind as output" "^Export-PfxCertificate: '.*$name.cer' is a $kind"
done
check "the link's target is untouched" cmp -s race.cer "$(readlink -f link.cer)"

# 8. Special files as inputs: refused at once, never blocking on a FIFO.
for cmd in "Get-PfxCertificate -FilePath fifo.cer" \
	"Import-Certificate -FilePath fifo.cer -CertStoreLocation Cert:\\CurrentUser\\My" \
	"Import-PfxCertificate -FilePath fifo.cer -CertStoreLocation Cert:\\CurrentUser\\My" \
	"Get-PfxCertificate -FilePath sock.cer"; do
	set -- $cmd
	run timeout 5 "$@"
	expect_fail_match "$1 refuses a special file at once" "^$1: '.*\.cer' is not a file\.$"
done
if [ "$made_dev" = 1 ]; then
	run timeout 5 Get-PfxCertificate -FilePath dev.cer
	expect_fail_match "Get-PfxCertificate refuses a device" "^Get-PfxCertificate: '.*dev.cer' is not a file\.$"
fi
mkfifo svc-fifo.cscfg
run timeout 5 Get-ServiceCertificate -LiteralPath svc-fifo.cscfg
expect_fail_match "Get-ServiceCertificate refuses a FIFO at once" "is not a file\.$"

# 9. A FIFO in a store: the listing goes on without it.
mkfifo "$MY/$(thumb 77).pfx"
run timeout 10 Get-StoreCertificate 'Cert:\CurrentUser\My'
check "a FIFO named like a store file neither blocks nor stops the listing" \
	test "$RC" = 0 -a "$(grep -c '^Cert:' "$OUTF")" = "$((N + 1))"
check "without -Verbose the skip is silent" test -z "$ERR"
run timeout 10 Get-StoreCertificate 'Cert:\CurrentUser\My' -Verbose
check "-Verbose names the entry the listing skipped, and why" \
	grep -q "^VERBOSE: Skipped the store entry '.*$(thumb 77).pfx': .* is not a file.$" "$ERRF"
rm -f "$MY/$(thumb 77).pfx"

finish
