#!/usr/bin/env bash
# Power loss: each writer runs on lazyfs (tests/lazyfs/), a FUSE file system
# that keeps only what was made durable by the POSIX rules (a file's data by
# its fsync, a directory's entries by the directory's fsync). The writer is
# killed at each of its system calls that change the mount (strace), then the power is
# cut with none, some or all of the namespace changes not yet durable let
# through in order (as a journal would), and what survived is checked: each
# target old or new, never empty or partial; a command that succeeded has its
# result durable; the next run succeeds and leaves no temporary. A writer that
# syncs too little (tests/lazyfs/naivewrite) shows that lazyfs loses its data.
. "$(dirname "$0")/lib.sh"

SECONDS=0
skip() {
	echo "SKIPPED: $1"
	exit 77
}
cannot() {   # REASON: skips outside CI; in CI the test must run
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $1 (CI runs this test as root with /dev/fuse)"
		echo "0 passed, 1 failed"
		exit 1
	fi
	skip "$1"
}
[ "${PKISHIM_VALGRIND:-}" = 1 ] && skip "it drives strace and a FUSE daemon, not valgrind"
needs strace openssl
LAZYFS="$PKISHIM_BUILD/tests/lazyfs/lazyfs"
NAIVE="$PKISHIM_BUILD/tests/lazyfs/naivewrite"
[ -x "$LAZYFS" ] || cannot "lazyfs was not built (libfuse3-dev is missing: tests/install-deps.sh)"
[ -c /dev/fuse ] || cannot "no /dev/fuse"
command -v fusermount3 >/dev/null 2>&1 || cannot "no fusermount3 (package fuse3)"

BACK="$WORK/backing"   # what survives a power cut
MNT="$WORK/mnt"
mkdir -p "$BACK" "$MNT"
LAZY_PID=
unmount() {
	[ -n "$LAZY_PID" ] || return 0
	fusermount3 -u "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
	wait "$LAZY_PID"
	LAZY_RC=$?
	LAZY_PID=
}
trap 'unmount; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM HUP   # through the EXIT trap: no mount is left behind
mount_lazy() {
	local i
	"$LAZYFS" "$BACK" "$MNT" -f 2>>"$WORK/lazyfs.log" &
	LAZY_PID=$!
	for i in $(seq 1 100); do
		mountpoint -q "$MNT" && [ -e "$MNT/.lazyfs" ] && return 0
		kill -0 "$LAZY_PID" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}
mount_lazy || { unmount; cannot "FUSE cannot be mounted here: $(tail -1 "$WORK/lazyfs.log")"; }

cut() { echo "crash ${1:-0}" >"$MNT/.lazyfs"; }   # a power cut letting K changes through
pending() { read -r _ PENDING <"$MNT/.lazyfs"; }   # sets PENDING: changes not yet durable
remount() { unmount && mount_lazy; }              # unmounting lazyfs is a power cut too
shopt -s nullglob dotglob
count_temps() {   # sets TEMPS: the temporaries visible in the mount
	local t=("$MNT"/*/*pkishim-tmp* "$MNT"/*/*/*/*pkishim-tmp*)
	TEMPS=${#t[@]}
}
clean_back() { rm -rf "${BACK:?}"/*; }   # each writer on its own

SYSCALLS='%file,write,close,fsync,fdatasync,syncfs,flock,rename,link,unlink,fchmod,fchown,fsetxattr'

# One "SYSCALL N" line per call that changes the mount (N counts every call of
# SYSCALL, as strace's when=N does), at most MAX lines evenly spread. Killed at
# such a call, the command leaves what the calls before it made; a kill at any
# other call leaves what a kill at the next changing call leaves.
kill_points() {   # MAX COMMAND...
	local max=$1
	shift
	strace -f -y -qq -o "$WORK/trace" -e trace="$SYSCALLS" "$@" >/dev/null 2>&1 </dev/null
	awk -v m="$MNT" -v max="$max" '
		/^[0-9]+ +(\+\+\+|---)/ { next }
		{ call = $2; sub(/\(.*/, "", call); n = ++seen[call] }
		index($0, m) && (call !~ /^open/ || /O_CREAT|O_TRUNC/) &&
		call ~ /^(openat|write|pwrite64|fchmod|fchmodat|chmod|fchown|fsetxattr|fsync|fdatasync)$/ ||
		call ~ /^(syncfs|rename|renameat2?|link|linkat|unlink|unlinkat|mkdir|mkdirat|rmdir|ftruncate)$/ {
			points[++total] = call " " n }
		END {
			for (j = 0; j < max && total > max; j++) pick[1 + int(j * (total - 1) / (max - 1))] = 1
			for (i = 1; i <= total; i++) if (total <= max || pick[i]) print points[i] }' "$WORK/trace"
}
kill_at_point() {   # SYSCALL N COMMAND...: killed at the Nth call of SYSCALL
	local call=$1 n=$2
	shift 2
	strace -f -qq -o /dev/null -e trace="$call" -e inject="$call":signal=KILL:when="$n" \
		"$@" >/dev/null 2>&1 </dev/null
}

# The crash matrix of one writer, COMMAND (run by strace). LAY puts the old
# state into BACK; CHECK judges what survived a cut; AGAIN (a function) runs
# the writer again after it, and DONE judges the state after a cut that
# follows AGAIN's success. Each kill point is cut letting through none, all
# and (of many) some of the pending changes.
#   crash_matrix TITLE MAXPOINTS LAY CHECK AGAIN DONE -- COMMAND...
crash_matrix() {
	local title=$1 max=$2 lay=$3 chk=$4 again=$5 done_=$6 call n p k ks
	local points=0 states=0 broken=0 unrepaired=0 kept_temps=0 start=$SECONDS
	shift 7
	$lay
	cut 0
	kill_points "$max" "$@" >"$WORK/chosen"
	while read -r call n; do
		points=$((points + 1))
		$lay
		cut 0
		kill_at_point "$call" "$n" "$@"
		pending
		p=$PENDING
		if [ "$p" -le 4 ]; then ks=$(seq 0 "$p"); else ks="0 1 $((p / 2)) $((p - 1)) $p"; fi
		for k in $ks; do
			if [ "$k" != 0 ]; then
				$lay
				cut 0
				kill_at_point "$call" "$n" "$@"
			fi
			cut "$k"
			states=$((states + 1))
			WHERE="killed at $call #$n, $k of $p pending changes kept"
			$chk || broken=$((broken + 1))
			count_temps
			[ "$TEMPS" = 0 ] || kept_temps=$((kept_temps + 1))
			if ! $again >/dev/null 2>"$WORK/again.err"; then
				echo "  $WHERE: the next run failed: $(cat "$WORK/again.err")"
				unrepaired=$((unrepaired + 1))
				continue
			fi
			cut 0
			count_temps
			$done_ && [ "$TEMPS" = 0 ] || {
				echo "  $WHERE: after the next run and a cut: not done, or $TEMPS temporaries"
				unrepaired=$((unrepaired + 1))
			}
		done
	done <"$WORK/chosen"
	echo "note: $title: $points kill points, $states power cuts" \
		"($kept_temps left temporaries), $((SECONDS - start)) s"
	check "$title: every cut leaves each target old or new, whole ($states cuts)" test "$broken" = 0
	check "$title: the next run succeeds, is durable and leaves no temporary" test "$unrepaired" = 0
	# Run to the end, then the power goes: all of it must be there.
	$lay
	cut 0
	$again >/dev/null 2>"$WORK/err"
	check "$title: succeeds on lazyfs" test "$?" = 0 -a ! -s "$WORK/err"
	pending
	check "$title: nothing is pending once it has succeeded" test "$PENDING" = 0
	cut 0
	WHERE="cut after it succeeded"
	check "$title: what it reported done survives a power cut" $done_
	remount
	WHERE="remounted after it succeeded"
	check "$title: ... and a remount" $done_
}

# Sorts FILES by content into OLDN and NEWN (sums OLD_SUM, NEW_SUM) and BAD (names).
classify() {   # FILE...
	local sum name
	OLDN=0 NEWN=0 BAD=
	while read -r sum name; do
		case $sum in
		"$OLD_SUM") OLDN=$((OLDN + 1)) ;;
		"$NEW_SUM") NEWN=$((NEWN + 1)) ;;
		*) BAD+=" ${name##*/}" ;;
		esac
	done < <(sha1sum "$@" 2>&1 </dev/null)
}
sum_of() { set -- $(sha1sum "$1"); echo "$1"; }
old_or_new() {   # COUNT FILE...: COUNT files, each old or new byte for byte
	local want=$1
	shift
	classify "$@"
	[ -z "$BAD" ] && [ $((OLDN + NEWN)) = "$want" ] && return 0
	echo "  $WHERE: $OLDN old, $NEWN new, neither:$BAD"
	return 1
}
all_new() {   # COUNT FILE...
	local want=$1
	shift
	classify "$@"
	[ -z "$BAD" ] && [ "$NEWN" = "$want" ] && return 0
	echo "  $WHERE: $OLDN old, $NEWN new of $want, neither:$BAD"
	return 1
}

# Set-ServiceCertificate: the old file, and the new one as it writes it on a plain directory.
SVC_OLD="$PKISHIM_SRC/tests/data/xml/pair-ok.cscfg"
SVC_NEW="$WORK/pair-new.cscfg"
THUMB=0123456789ABCDEF0123456789ABCDEF01234567
cp "$SVC_OLD" "$SVC_NEW"
Set-ServiceCertificate -LiteralPath "$SVC_NEW" -Role Web -Name SSL -Thumbprint $THUMB
check "the new service file differs from the old" test -n "$(cmp "$SVC_OLD" "$SVC_NEW")"
OLD_SUM=$(sum_of "$SVC_OLD") NEW_SUM=$(sum_of "$SVC_NEW")

mkdir -p "$WORK/svc"
cp "$SVC_OLD" "$WORK/svc/a.cscfg"
cp "$SVC_OLD" "$WORK/svc/b.cscfg"
lay_pair() { clean_back; cp -r "$WORK/svc" "$BACK/svc"; }
SET_PAIR=(Set-ServiceCertificate -Path "$MNT/svc/a.cscfg,$MNT/svc/b.cscfg" -Role Web -Name SSL
	-Thumbprint $THUMB)
set_pair() { "${SET_PAIR[@]}"; }
pair_ok() { old_or_new 2 "$MNT"/svc/{a,b}.cscfg; }
pair_new() { all_new 2 "$MNT"/svc/{a,b}.cscfg; }
crash_matrix "Set-ServiceCertificate over 2 files" 1000 lay_pair pair_ok set_pair pair_new -- \
	"${SET_PAIR[@]}"

# Beyond 64 files the batch closes its temporaries before the barrier.
MANY=80
mkdir -p "$WORK/many"
for i in $(seq 1 $MANY); do cp "$SVC_OLD" "$WORK/many/s$i.cscfg"; done
lay_many() { clean_back; cp -r "$WORK/many" "$BACK/many"; }
SET_MANY=(Set-ServiceCertificate -Path "$MNT/many/*.cscfg" -Role Web -Name SSL -Thumbprint $THUMB)
set_many() { "${SET_MANY[@]}"; }
many_ok() { old_or_new $MANY "$MNT"/many/*.cscfg; }
many_new() { all_new $MANY "$MNT"/many/*.cscfg; }
crash_matrix "Set-ServiceCertificate over $MANY files" 6 lay_many many_ok set_many many_new -- \
	"${SET_MANY[@]}"

# New-SelfSignedCertificate into a store on lazyfs, from nothing (its directories
# are made too) and into a store that holds a certificate already.
STORE="$MNT/stores"
MY="$STORE/CurrentUser/my"
CA="$STORE/CurrentUser/ca"
pfx_whole() {   # FILE [key]: a PFX whose MAC verifies, holding a certificate (and a key)
	local pem
	pem=$(openssl pkcs12 -in "$1" -passin pass: -nodes 2>/dev/null) &&
		[[ $pem == *"BEGIN CERTIFICATE"* ]] && { [ -z "${2:-}" ] || [[ $pem == *"PRIVATE KEY"* ]]; }
}
store_whole() {   # every entry of My and CA is whole, My's with its key
	local f key
	for f in "$MY"/*.pfx "$CA"/*.pfx; do
		key=
		[[ $f == "$MY"/* ]] && key=key
		pfx_whole "$f" $key || {
			echo "  $WHERE: ${f#"$MNT"/} is not whole ($(wc -c <"$f") bytes)"
			return 1
		}
	done
}
NEW_CERT=(env PKISHIM_STORE_ROOT="$STORE" New-SelfSignedCertificate -DnsName power.example
	-KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My')
new_cert() { "${NEW_CERT[@]}" >"$WORK/thumb"; }
cert_done() {   # the certificate the last new_cert reported is in My and CA, and all is whole
	local t
	read -r t <"$WORK/thumb"
	t=${t##*\\}
	[ -e "$MY/$t.pfx" ] && [ -e "$CA/$t.pfx" ] && store_whole || {
		echo "  $WHERE: the certificate $t reported made is not in My and CA, whole"
		return 1
	}
}
crash_matrix "New-SelfSignedCertificate into a new store" 1000 clean_back store_whole \
	new_cert cert_done -- "${NEW_CERT[@]}"
clean_back
cut 0
new_cert
cut 0
read -r FIRST <"$WORK/thumb"
FIRST=${FIRST##*\\}
lay_one_store() { clean_back; cp -a "$WORK/one-store" "$BACK/stores"; }
store_keeps_first() { store_whole && [ -e "$MY/$FIRST.pfx" ]; }
cert_done_keeps_first() { cert_done && [ -e "$MY/$FIRST.pfx" ]; }
if [ -e "$BACK/stores/CurrentUser/my/$FIRST.pfx" ]; then
	cp -a "$BACK/stores" "$WORK/one-store"
	crash_matrix "New-SelfSignedCertificate into a store that has one" 6 lay_one_store \
		store_keeps_first new_cert cert_done_keeps_first -- "${NEW_CERT[@]}"
else
	_fail "a store with one certificate survives a power cut, to add another to"
fi

# Exports from a store outside the mount: a PFX over an old one, a certificate
# with -NoClobber (link, then unlink of the temporary).
cert=$(New-SelfSignedCertificate -DnsName export.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My')
mkdir -p "$WORK/out-old"
Export-PfxCertificate -Cert "$cert" -FilePath "$WORK/out-old/out.pfx" -Password old >/dev/null
Export-Certificate -Cert "$cert" -FilePath "$WORK/want.cer" >/dev/null
check "the certificates to export are made" test -s "$WORK/out-old/out.pfx" -a -s "$WORK/want.cer"
PFX_OLD_SUM=$(sum_of "$WORK/out-old/out.pfx")
lay_pfx() { clean_back; cp -r "$WORK/out-old" "$BACK/out"; }
EXPORT_PFX=(Export-PfxCertificate -Cert "$cert" -FilePath "$MNT/out/out.pfx" -Password new)
export_pfx() { "${EXPORT_PFX[@]}"; }
pfx_new() {
	openssl pkcs12 -in "$MNT/out/out.pfx" -passin pass:new -noout 2>/dev/null || {
		echo "  $WHERE: out.pfx is not the whole new PFX ($(wc -c <"$MNT/out/out.pfx") bytes)"
		return 1
	}
}
pfx_old_or_new() { [ "$(sum_of "$MNT/out/out.pfx")" = "$PFX_OLD_SUM" ] || pfx_new; }
crash_matrix "Export-PfxCertificate over an old PFX" 1000 lay_pfx pfx_old_or_new export_pfx \
	pfx_new -- "${EXPORT_PFX[@]}"
lay_cer() { clean_back; mkdir -p "$BACK/out"; }
EXPORT_CER=(Export-Certificate -Cert "$cert" -FilePath "$MNT/out/new.cer" -NoClobber)
export_cer() { "${EXPORT_CER[@]}"; }
cer_none_or_whole() {
	[ ! -e "$MNT/out/new.cer" ] || cmp -s "$MNT/out/new.cer" "$WORK/want.cer" || {
		echo "  $WHERE: new.cer is there but not whole ($(wc -c <"$MNT/out/new.cer") bytes)"
		return 1
	}
}
export_cer_again() {   # a whole new.cer a cut left makes -NoClobber refuse; removed, it is written
	if [ -e "$MNT/out/new.cer" ]; then
		export_cer 2>/dev/null && return 1
		rm "$MNT/out/new.cer"
	fi
	export_cer
}
cer_new() {
	cmp -s "$MNT/out/new.cer" "$WORK/want.cer" || {
		echo "  $WHERE: new.cer is not whole"
		return 1
	}
}
crash_matrix "Export-Certificate -NoClobber" 1000 lay_cer cer_none_or_whole export_cer_again \
	cer_new -- "${EXPORT_CER[@]}"

# Teeth: the same cut after a writer that syncs too little loses its data,
# and the checks above catch it; the writer that syncs as pkishim does keeps it.
NAIVE_OLD="$WORK/naive-old" NAIVE_NEW="$WORK/naive-new"
printf 'old contents' >"$NAIVE_OLD"
printf 'new contents' >"$NAIVE_NEW"
OLD_SUM=$(sum_of "$NAIVE_OLD") NEW_SUM=$(sum_of "$NAIVE_NEW")
quietly() { "$@" >/dev/null; }
naive_cut() {   # MODE K: the old file in place, naivewrite MODE, a cut keeping K changes
	clean_back
	mkdir -p "$BACK/naive"
	cp "$NAIVE_OLD" "$BACK/naive/f"
	cut 0
	"$NAIVE" "$1" "$MNT/naive/f" "$(cat "$NAIVE_NEW")" || return 1
	cut "$2"
	WHERE="naivewrite $1, cut keeping $2"
}
naive_cut none 0
check "no sync: the new file, reported written, is lost" cmp -s "$MNT/naive/f" "$NAIVE_OLD"
check_not "... which the check of a succeeded command catches" quietly all_new 1 "$MNT/naive/f"
naive_cut none 99
check "no sync, the rename let through: the file is empty (ext4's zero-length file)" \
	test -e "$MNT/naive/f" -a ! -s "$MNT/naive/f"
check_not "... which the old-or-new check catches" quietly old_or_new 1 "$MNT/naive/f"
naive_cut dir 0
check "the directory synced, not the file: the file is empty" \
	test -e "$MNT/naive/f" -a ! -s "$MNT/naive/f"
check_not "... which the old-or-new check catches" quietly old_or_new 1 "$MNT/naive/f"
naive_cut file 0
check "the file synced, not the directory: the rename is lost" cmp -s "$MNT/naive/f" "$NAIVE_OLD"
naive_cut both 0
check "both synced: the new file survives" cmp -s "$MNT/naive/f" "$NAIVE_NEW"
printf 'unsynced\n' >"$MNT/naive/f2"
remount
check "a remount loses what was never synced" test ! -e "$MNT/naive/f2"
check "... and keeps what was" cmp -s "$MNT/naive/f" "$NAIVE_NEW"

unmount
check "lazyfs exits cleanly (status $LAZY_RC)" test "$LAZY_RC" = 0
check "lazyfs reported no error" test ! -s "$WORK/lazyfs.log"
echo "note: $SECONDS s"
finish
