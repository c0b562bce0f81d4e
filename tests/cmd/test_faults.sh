#!/usr/bin/env bash
# Faults: a writing command killed (SIGKILL) at every file system call it
# makes leaves the old file or the new one, never a part, and the store never
# holds a certificate without its key; a full disk (ENOSPC) is reported and
# leaves nothing behind. strace reaches every point with no hook in the product.
. "$(dirname "$0")/lib.sh"
needs strace openssl

SYSCALLS='%file,write,close,fsync,rename,link,unlink,fchmod'

# How many of those calls the command makes, counted by a traced dry run.
count_calls() {
	strace -f -qq -o "$WORK/trace" -e trace="$SYSCALLS" "$@" >/dev/null 2>&1 </dev/null
	grep -cvE '^[0-9]+ +(\+\+\+|---)' "$WORK/trace"
}

kill_at() {   # N COMMAND...: runs the command, killed at its Nth call
	local n=$1
	shift
	strace -f -qq -o /dev/null -e trace="$SYSCALLS" \
		-e inject="$SYSCALLS":signal=KILL:when="$n" "$@" >/dev/null 2>&1 </dev/null
}

pfx_ok() {   # FILE PASSWORD: a whole PFX whose MAC verifies
	openssl pkcs12 -in "$1" -passin "pass:$2" -noout 2>/dev/null
}

store_is_whole() {   # every store file holds its certificate and its key
	local f
	for f in "$PKISHIM_STORE_ROOT"/CurrentUser/my/*.pfx; do
		[ -e "$f" ] || continue
		openssl pkcs12 -in "$f" -passin pass: -nodes 2>/dev/null | grep -q 'PRIVATE KEY' || {
			echo "  incomplete store file: $f"
			return 1
		}
	done
}

# The certificate to export, and the old file a killed export must leave alone.
cert=$(New-SelfSignedCertificate -DnsName faults.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My')
check "a certificate to export" test -n "$cert"
cd "$WORK"
Export-PfxCertificate -Cert "$cert" -FilePath out.pfx -Password old >/dev/null
cp out.pfx old.pfx

calls=$(count_calls Export-PfxCertificate -Cert "$cert" -FilePath out.pfx -Password new)
check "Export-PfxCertificate makes file system calls to interrupt ($calls)" test "$calls" -gt 10
bad=0
for n in $(seq 1 "$calls"); do
	kill_at "$n" Export-PfxCertificate -Cert "$cert" -FilePath out.pfx -Password new
	if cmp -s out.pfx old.pfx || pfx_ok out.pfx new; then :; else
		echo "  killed at call $n: out.pfx is neither the old nor the new file"
		bad=$((bad + 1))
	fi
	cp old.pfx out.pfx
done
check "a killed Export-PfxCertificate leaves the old or the new file at every call" test "$bad" = 0

rm -f new.cer
calls=$(count_calls Export-Certificate -Cert "$cert" -FilePath new.cer)
rm -f new.cer
bad=0
for n in $(seq 1 "$calls"); do
	kill_at "$n" Export-Certificate -Cert "$cert" -FilePath new.cer
	if [ -e new.cer ] && ! openssl x509 -inform DER -in new.cer -noout 2>/dev/null; then
		echo "  killed at call $n: new.cer is partial"
		bad=$((bad + 1))
	fi
	rm -f new.cer
done
check "a killed Export-Certificate leaves no file or a whole one at every call" test "$bad" = 0

calls=$(count_calls New-SelfSignedCertificate -DnsName count.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My')
bad=0
for n in $(seq 1 "$calls"); do
	kill_at "$n" New-SelfSignedCertificate -DnsName "kill$n.example" -KeyAlgorithm ECDSA_nistP256 \
		-CertStoreLocation 'Cert:\CurrentUser\My'
	store_is_whole || bad=$((bad + 1))
done
check "a killed New-SelfSignedCertificate never leaves a certificate without its key" test "$bad" = 0

# A full disk. Where this user may mount one, a tiny tmpfs filled to the brim
# makes every write fail with ENOSPC; everywhere, strace makes fsync say so.
full_dir="$WORK/full"
mkdir -p "$full_dir"
if mount -t tmpfs -o size=64k tmpfs "$full_dir" 2>/dev/null; then
	trap 'umount "$full_dir" 2>/dev/null; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
	mkdir -p "$full_dir/stores/CurrentUser/my"
	dd if=/dev/zero of="$full_dir/fill" bs=1k 2>/dev/null
	run Export-PfxCertificate -Cert "$cert" -FilePath "$full_dir/out.pfx" -Password pw
	expect_fail_match "a full disk is reported by Export-PfxCertificate" \
		'^Export-PfxCertificate: .*No space left on device'
	check "a full disk leaves no PFX and no temporary file" test -z "$(ls -A "$full_dir" | grep -v -e fill -e stores)"
	PKISHIM_STORE_ROOT="$full_dir/stores" run New-SelfSignedCertificate -DnsName full.example \
		-KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My'
	expect_fail_match "a full disk is reported by New-SelfSignedCertificate" \
		'^New-SelfSignedCertificate: .*No space left on device'
	check "a full disk adds nothing to the store, not even a temporary file" \
		test -z "$(ls -A "$full_dir/stores/CurrentUser/my")"
else
	echo "note: cannot mount a tmpfs here; the fsync fault below stands in for a full disk"
fi
nospace() {
	strace -f -qq -o /dev/null -e trace=fsync -e inject=fsync:error=ENOSPC "$@"
}
run nospace Export-PfxCertificate -Cert "$cert" -FilePath nospace.pfx -Password pw
expect_fail_match "ENOSPC from fsync is reported" '^Export-PfxCertificate: .*No space left on device'
check "ENOSPC from fsync leaves no PFX and no temporary file" test -z "$(ls -A "$WORK" | grep nospace)"
before=$(ls -A "$PKISHIM_STORE_ROOT"/CurrentUser/my | wc -l)
run nospace New-SelfSignedCertificate -DnsName nospace.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My'
expect_fail_match "ENOSPC in the store is reported" '^New-SelfSignedCertificate: .*No space left on device'
check "ENOSPC in the store adds nothing" test "$(ls -A "$PKISHIM_STORE_ROOT"/CurrentUser/my | wc -l)" = "$before"

finish
