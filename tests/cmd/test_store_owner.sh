#!/usr/bin/env bash
# Stores belong to their user: with a second user (nobody, uid 65534), a
# store another user owns or may write is refused with how to fix it, a
# certificate file another user owns is ignored with a warning, and the
# user's own files are narrowed to 0600. The second user's own store works.
. "$(dirname "$0")/lib.sh"
needs_root

cd "$WORK"
chmod 711 "$WORK"   # nobody must reach its own directories below
thumb_of() { printf '%s\n' "${1##*\\}"; }

# nobody makes the victim's Root store before the victim does, and plants a
# certificate in it (what a shared or world-writable store root allows).
shared="$WORK/shared"
mkdir -m 1777 "$shared"
planted=$(as_nobody env HOME="$shared" PKISHIM_STORE_ROOT="$shared" New-SelfSignedCertificate \
	-DnsName planted.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My')
as_nobody mkdir -m 0755 "$shared/CurrentUser/root"
as_nobody cp "$shared/CurrentUser/my/$(thumb_of "$planted").pfx" "$shared/CurrentUser/root/"
check "nobody planted a certificate in the shared Root store" \
	test -s "$shared/CurrentUser/root/$(thumb_of "$planted").pfx"
PKISHIM_STORE_ROOT="$shared" run Get-StoreCertificate 'Cert:\CurrentUser\Root'
expect_fail "the victim refuses a store nobody owns" "Get-StoreCertificate: The owner of '$shared/CurrentUser' is not the current user. A store must belong to its user alone (another user could plant certificates in it): remove the directory, or have root give it to you with chown -R root '$shared/CurrentUser'."
check "the planted certificate is not listed" test -z "$(grep -F "$(thumb_of "$planted")" "$OUTF")"
PKISHIM_STORE_ROOT="$shared" run New-SelfSignedCertificate -DnsName victim.example \
	-KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My'
expect_fail_match "nor does the victim write into it" "^New-SelfSignedCertificate: The owner of '$shared/CurrentUser' is not the current user"
check "no key of the victim's lands there (nobody's file alone)" test "$(ls -A "$shared/CurrentUser/my" | wc -l)" = 1

# A world-writable store of the victim's own is refused too, with the fix.
run New-SelfSignedCertificate -DnsName mine.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My'
expect_ok "the victim makes a certificate in a private store"
mine=$(thumb_of "$OUT")
MY="$PKISHIM_STORE_ROOT/CurrentUser/my"
check "the store directory is 0700" test "$(stat -c %a "$MY")" = 700
chmod 0777 "$MY"
run Get-StoreCertificate 'Cert:\CurrentUser\My'
expect_fail "a world-writable store is refused" "Get-StoreCertificate: The store directory '$MY' is writable by other users (mode 0777), who could plant certificates in it; make it private with chmod 0700 '$MY'."
chmod 0700 "$MY"
run Get-StoreCertificate 'Cert:\CurrentUser\My'
expect_ok "after the fix it lists again"

# A file another user owns, in the victim's store, is skipped with a warning.
run New-SelfSignedCertificate -DnsName foreign.example -KeyAlgorithm ECDSA_nistP256 \
	-CertStoreLocation 'Cert:\CurrentUser\My'
foreign=$(thumb_of "$OUT")
chown 65534:65534 "$MY/$foreign.pfx"
run Get-StoreCertificate 'Cert:\CurrentUser\My'
check "the listing goes on (exit 0)" test "$RC" = 0
check "it lists the victim's own certificate" grep -qF "$mine" "$OUTF"
check "it leaves the other user's out" test -z "$(grep -F "$foreign" "$OUTF")"
check "with a warning naming the file" grep -qxF "WARNING: Ignoring the store file '$MY/$foreign.pfx': its owner (uid 65534) is not the current user, so another user may have put it there; remove it if you do not know where it came from." "$ERRF"
run Get-StoreCertificate -Item "Cert:\\CurrentUser\\My\\$foreign"
check "asked for by name it is not found (exit $RC)" test "$RC" = 1
rm -f "$MY/$foreign.pfx"

# Too-broad permissions on the user's own store file are repaired, as .NET does.
chmod 0644 "$MY/$mine.pfx"
run Get-StoreCertificate 'Cert:\CurrentUser\My'
expect_ok "a 0644 store file still lists"
check "and is narrowed to 0600" test "$(stat -c %a "$MY/$mine.pfx")" = 600

# The second user's own store, from scratch, works as the first user's does.
nobody_home="$WORK/nobody"
mkdir -m 0700 "$nobody_home" && chown 65534:65534 "$nobody_home"
own=$(as_nobody env -u PKISHIM_STORE_ROOT HOME="$nobody_home" New-SelfSignedCertificate \
	-DnsName own.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My')
check "nobody makes a certificate in its own store" test -n "$own"
dir="$nobody_home/.dotnet/corefx/cryptography/x509stores/my"
check "its file is nobody's, 0600" test "$(stat -c '%u %a' "$dir/$(thumb_of "$own").pfx")" = "65534 600"
check "every directory pkishim made is nobody's, 0700" test "$(stat -c '%u %a' \
	"$nobody_home/.dotnet" "$nobody_home/.dotnet/corefx" "$dir" | sort -u)" = "65534 700"
check "nobody lists it back" as_nobody env -u PKISHIM_STORE_ROOT HOME="$nobody_home" \
	Get-StoreCertificate "Cert:\\CurrentUser\\My\\$(thumb_of "$own")"
HOME="$nobody_home" PKISHIM_STORE_ROOT= run Get-StoreCertificate 'Cert:\CurrentUser\My'
expect_fail_match "root refuses nobody's store as its own" "The owner of '$nobody_home/.dotnet' is not the current user"

finish
