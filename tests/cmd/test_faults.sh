#!/usr/bin/env bash
# Faults: a writing command killed (SIGKILL) at every file system call it
# makes leaves the old file or the new one, never a part, and the store never
# holds a certificate without its key; a full disk (ENOSPC) is reported and
# leaves nothing behind. strace reaches every point with no hook in the product.
. "$(dirname "$0")/lib.sh"
needs strace openssl

SYSCALLS='%file,write,close,fsync,fdatasync,syncfs,flock,rename,link,unlink,fchmod,fchown,fsetxattr'

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

# strace counts "when=N" per system call, so "the Nth call of any of them"
# hits only the first calls; these name every call as "SYSCALL N" instead.
kill_points() {   # COMMAND...: one "SYSCALL N" line per call the command makes
	strace -f -qq -o "$WORK/trace" -e trace="$SYSCALLS" "$@" >/dev/null 2>&1 </dev/null
	grep -vE '^[0-9]+ +(\+\+\+|---)' "$WORK/trace" | sed -E 's/^[0-9]+ +([a-z0-9_]+)\(.*/\1/' |
		awk '{ print $1, ++seen[$1] }'
}
kill_at_point() {   # SYSCALL N COMMAND...: killed at the Nth call of SYSCALL
	local call=$1 n=$2
	shift 2
	strace -f -qq -o /dev/null -e trace="$call" -e inject="$call":signal=KILL:when="$n" \
		"$@" >/dev/null 2>&1 </dev/null
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

no_leftovers() { ! ls -A "$@" | grep -q 'pkishim-tmp'; }
Export-PfxCertificate -Cert "$cert" -FilePath out.pfx -Password new >/dev/null
check "the next Export-PfxCertificate removes what killed ones left (no key lies around)" no_leftovers .
New-SelfSignedCertificate -DnsName after.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My' >/dev/null
check "the next store write removes what killed ones left" no_leftovers "$PKISHIM_STORE_ROOT/CurrentUser/my"

# Set-ServiceCertificate over two files killed at every call: each file is old
# or new, whole (never empty or partial); a crash during the renames can leave
# the first file new and the second old (README "Safety"), and running the same
# command again brings both to new and removes the temporaries.
svc() {
	printf '<?xml version="1.0"?>\n<ServiceConfiguration serviceName="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"><Role name="W"><Certificates><Certificate name="A" thumbprint="%s" thumbprintAlgorithm="sha1"/></Certificates></Role></ServiceConfiguration>\n' "$1"
}
OLD=0000000000000000000000000000000000000000 NEW=1111111111111111111111111111111111111111
svc $OLD >old.cscfg
svc $NEW >new.cscfg
reset_svc() { cp old.cscfg a.cscfg; cp old.cscfg b.cscfg; }
reset_svc
kill_points Set-ServiceCertificate -Path a.cscfg,b.cscfg -Name A -Thumbprint $NEW >"$WORK/points"
calls=$(wc -l <"$WORK/points")
bad=0 mixed=0 unrepaired=0
while read -r call n; do
	reset_svc
	kill_at_point "$call" "$n" Set-ServiceCertificate -Path a.cscfg,b.cscfg -Name A -Thumbprint $NEW
	for f in a b; do
		cmp -s $f.cscfg old.cscfg || cmp -s $f.cscfg new.cscfg || {
			echo "  killed at call $n: $f.cscfg is neither old nor new"
			bad=$((bad + 1))
		}
	done
	cmp -s a.cscfg b.cscfg || mixed=$((mixed + 1))
	Set-ServiceCertificate -Path a.cscfg,b.cscfg -Name A -Thumbprint $NEW >/dev/null 2>&1
	{ cmp -s a.cscfg new.cscfg && cmp -s b.cscfg new.cscfg && no_leftovers .; } ||
		unrepaired=$((unrepaired + 1))
done <"$WORK/points"
check "a killed two-file Set-ServiceCertificate leaves each file old or new at every call ($calls)" test "$bad" = 0
echo "note: $mixed of $calls kill points left one file new and one old (between the two renames)"
check "a kill between the renames leaves one new and one old (what README states)" test "$mixed" -ge 1
check "running it again completes the update and leaves no temporary" test "$unrepaired" = 0

# The barrier, seen in the calls: every rename comes after its temporary was
# synced (fsync, or syncfs of the filesystem) and is followed by a directory
# sync before the command exits; a batch syncs each directory once.
barrier_ok() {   # COMMAND...: the call order above holds
	strace -f -y -qq -o "$WORK/order" -e trace=fsync,fdatasync,syncfs,rename,openat "$@" \
		>/dev/null 2>&1 </dev/null
	awk '
	/^[0-9]+ +openat\(.*pkishim-tmp.*O_CREAT/ { n = split($0, a, "<"); created[a[n]] = 1 }
	/^[0-9]+ +syncfs\(/ { for (t in created) synced[t] = 1 }
	/^[0-9]+ +f(data)?sync\(/ {
		match($0, /<[^>]*>/); p = substr($0, RSTART + 1, RLENGTH - 2)
		if (p ~ /pkishim-tmp/) synced[p ">"] = 1; else { pending = 0; dirsyncs++ } }
	/^[0-9]+ +rename\(/ {
		match($0, /"[^"]*"/); t = substr($0, RSTART + 1, RLENGTH - 2); sub(/.*\//, "", t)
		ok = 0; for (s in synced) { b = s; sub(/.*\//, "", b); sub(/>$/, "", b); if (b == t) ok = 1 }
		if (!ok) { print "  rename before sync: " $0; bad = 1 }
		pending = 1; renames++ }
	END { if (pending) print "  no directory sync after the last rename"
	      if (renames == 0) print "  no rename seen"
	      exit bad || pending || renames == 0 || dirsyncs != ENVIRON["DIRS"] }' "$WORK/order"
}
reset_svc
DIRS=1 check "two service files: fsync each temporary, renames, one directory sync" \
	barrier_ok Set-ServiceCertificate -Path a.cscfg,b.cscfg -Name A -Thumbprint $NEW
mkdir many
for i in $(seq 1 80); do cp old.cscfg "many/s$i.cscfg"; done
DIRS=1 check "80 service files (beyond 64: syncfs): the same order, one directory sync" \
	barrier_ok Set-ServiceCertificate -Path 'many/*.cscfg' -Name A -Thumbprint $NEW
check "... and all 80 changed" test "$(grep -l $NEW many/*.cscfg | wc -l)" = 80
DIRS=1 check "Export-PfxCertificate: fsync, rename, directory sync" \
	barrier_ok Export-PfxCertificate -Cert "$cert" -FilePath out.pfx -Password new
# A self-signed certificate goes into My and, as on Windows, CA: one batch, two directories.
DIRS=2 check "New-SelfSignedCertificate into a store and CA: fsync, renames, a sync per directory" \
	barrier_ok New-SelfSignedCertificate -DnsName order.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My'

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
