#!/usr/bin/env bash
# Get-StoreCertificate and Remove-StoreCertificate: Get-ChildItem, Get-Item,
# Test-Path and Remove-Item on Cert:\ paths, from bash.
. "$(dirname "$0")/lib.sh"
needs script

thumb_of() { printf '%s\n' "${1##*\\}"; }
MY="$PKISHIM_STORE_ROOT/CurrentUser/my"

run New-SelfSignedCertificate -DnsName web.example,www.web.example -CertStoreLocation 'Cert:\CurrentUser\My'
expect_ok "a server certificate is made"
WEB=$OUT
TW=$(thumb_of "$WEB")
run New-SelfSignedCertificate -Type CodeSigningCert -Subject 'CN=Signer' -CertStoreLocation 'Cert:\CurrentUser\My'
SIGN=$OUT
TS=$(thumb_of "$SIGN")
run New-SelfSignedCertificate -Type DocumentEncryptionCert -Subject 'CN=Vault' -CertStoreLocation 'Cert:\CurrentUser\My'
VAULT=$OUT
TV=$(thumb_of "$VAULT")
ALL=$(printf 'Cert:\\CurrentUser\\My\\%s\n' "$TW" "$TS" "$TV" | sort)
# New-SelfSignedCertificate leaves a copy of each self-signed certificate in CA, as on Windows.
CA_ALL=$(printf 'Cert:\\CurrentUser\\CA\\%s\n' "$TW" "$TS" "$TV" | sort)
RECURSED=$(printf '%s\n%s\n' "$CA_ALL" "$ALL" | sort)

# Listing: the captured form is one Cert:\ path per certificate, in thumbprint order.
run Get-StoreCertificate 'Cert:\CurrentUser\My'
expect_ok "a store lists"
check "a store lists its certificates by path" test "$OUT" = "$ALL"
lists=(
	"-Path names the store|-Path|Cert:\\CurrentUser\\My"
	"the store name in any case|-Path|cert:\\currentuser\\MY"
	"a trailing separator|-Path|Cert:\\CurrentUser\\My\\"
	"forward slashes|-Path|Cert:/CurrentUser/My"
	"the provider-qualified form|-Path|Microsoft.PowerShell.Security\\Certificate::CurrentUser\\My"
	"a wildcard thumbprint|-Path|Cert:\\CurrentUser\\My\\*"
)
for l in "${lists[@]}"; do
	IFS='|' read -r title how path <<<"$l"
	run Get-StoreCertificate "$how" "$path"
	check "$title lists the store" test "$RC/${OUT,,}" = "0/${ALL,,}"
done
run Get-StoreCertificate "Cert:\\CurrentUser\\My\\${TW,,}"
check "one certificate by a lower-case thumbprint" test "$RC/$OUT" = "0/$WEB"
run Get-StoreCertificate "Cert:\\CurrentUser\\My\\${TW:0:6}*"
check "a thumbprint prefix with a wildcard" test "$RC/$OUT" = "0/$WEB"
run Get-StoreCertificate 'Cert:\CurrentUser\My\ZZZ*'
check "a wildcard that matches nothing prints nothing and exits 1 (Test-Path: False)" test "$RC/$OUT/$ERR" = "1//"
run Get-StoreCertificate 'Cert:\CurrentUser\Root'
check "an empty Windows store lists nothing, successfully" test "$RC/$OUT/$ERR" = "0//"
run Get-StoreCertificate -Recurse 'Cert:\CurrentUser'
check "-Recurse lists every certificate below a location" test "$RC/$(sort <<<"$OUT")" = "0/$RECURSED"
run Get-StoreCertificate -Recurse 'Cert:\'
check "-Recurse from Cert:\\ lists every certificate" test "$RC/$(sort <<<"$OUT")" = "0/$RECURSED"
run Get-StoreCertificate 'Cert:\'
check "Cert:\\ lists the two locations" test "$RC/$OUT" = "0/Cert:\\CurrentUser"$'\n'"Cert:\\LocalMachine"
run Get-StoreCertificate 'Cert:\CurrentUser'
check "a location lists its stores" grep -qx 'Cert:\\CurrentUser\\My' "$OUTF"
run Get-StoreCertificate -Item 'Cert:\CurrentUser\My'
check "-Item shows the store itself" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\My"

# The provider's filters (pki-cmdlets.md §6).
filters=(
	"-SSLServerAuthentication|-SSLServerAuthentication|$WEB"
	"-CodeSigningCert|-CodeSigningCert|$SIGN"
	"-DocumentEncryptionCert|-DocumentEncryptionCert|$VAULT"
	"-DnsName with a wildcard on a SAN name|-DnsName:www.*|$WEB"
	"-DnsName on the subject's CN|-DnsName:signer|$SIGN"
	"-Eku by friendly name|-Eku:*Server*|$WEB"
	"-Eku by two patterns|-Eku:Server Authentication,Client Authentication|$WEB"
	"-ExpiringInDays beyond a year|-ExpiringInDays:400|@ALL"
	"-ExpiringInDays 0 (already expired)|-ExpiringInDays:0|"
)
for f in "${filters[@]}"; do
	IFS='|' read -r title arg want <<<"$f"
	[ "$want" = @ALL ] && want=$ALL
	run Get-StoreCertificate 'Cert:\CurrentUser\My' "$arg"
	check "$title filters" test "$RC/$OUT" = "0/$want"
done

# Output forms.
PKISHIM_OUTPUT=json run Get-StoreCertificate "$WEB"
check "JSON names the store file" grep -q "\"File\":\"$MY/$TW.pfx\"" "$OUTF"
check "JSON gives the provider path" grep -qF "\"PSPath\":\"Microsoft.PowerShell.Security\\\\Certificate::CurrentUser\\\\My\\\\$TW\"" "$OUTF"
PKISHIM_OUTPUT=json run Get-StoreCertificate -Item 'Cert:\CurrentUser\My'
check "JSON of a store names it" test "$OUT" = '{"Name":"My","Location":"CurrentUser","PSPath":"Microsoft.PowerShell.Security\\Certificate::CurrentUser\\My"}'
script -qec "Get-StoreCertificate 'Cert:\\CurrentUser\\My'" /dev/null >"$WORK/tty.txt" </dev/null
check "on a terminal the PSParentPath header is shown" grep -q 'PSParentPath: Microsoft.PowerShell.Security\\Certificate::CurrentUser\\My' "$WORK/tty.txt"
check "on a terminal the Thumbprint column is shown" grep -q "^$TW " "$WORK/tty.txt"

# Errors: the provider's messages, exit 1.
run Get-StoreCertificate 'Cert:\CurrentUser\My\0000000000000000000000000000000000000000'
expect_fail "a missing certificate is an error (Test-Path: False)" \
	"Get-StoreCertificate: Cannot find the X509 certificate at path Cert:\\CurrentUser\\My\\0000000000000000000000000000000000000000."
run Get-StoreCertificate 'Cert:\CurrentUser\NoSuchStore'
expect_fail "a store that does not exist is an error" \
	"Get-StoreCertificate: Cannot find the X509 certificate store at path Cert:\\CurrentUser\\NoSuchStore."
run Get-StoreCertificate 'Cert:\Elsewhere\My'
expect_fail "an unknown location is an error" \
	"Get-StoreCertificate: Cannot find the certificate store because the specified X509 store location Elsewhere is not valid."
run Get-StoreCertificate '/tmp/My'
expect_fail "a file system path is not a certificate provider path" \
	"Get-StoreCertificate: Cannot process the path because path /tmp/My is not a valid certificate provider path."
run Get-StoreCertificate -Path "$WEB" 'Cert:\CurrentUser\NoSuchStore'
check "a bad path among good ones is reported and the rest is shown" test "$RC/$OUT" = "1/$WEB"
check "the bad path's error is on stderr" test "$ERR" = "Get-StoreCertificate: Cannot find the X509 certificate store at path Cert:\CurrentUser\NoSuchStore."

# Remove-StoreCertificate.
run Remove-StoreCertificate "$SIGN" -WhatIf
check "-WhatIf says what it would remove" test "$RC/$OUT" = "0/What if: Performing the operation \"Remove certificate\" on target \"$SIGN\"."
check "-WhatIf removes nothing" test -f "$MY/$TS.pfx"
run Remove-StoreCertificate "$SIGN"
expect_ok "a certificate is removed"
check "the certificate and its key are gone" test ! -e "$MY/$TS.pfx"
run Remove-StoreCertificate -Path "cert:/currentuser/my/${TV,,}" -DeleteKey
expect_ok "-DeleteKey removes with any spelling of the path"
check "the certificate removed with -DeleteKey is gone" test ! -e "$MY/$TV.pfx"
run Remove-StoreCertificate "$SIGN"
expect_fail "removing what is gone is an error" "Remove-StoreCertificate: Cannot find the X509 certificate at path $SIGN."
run Remove-StoreCertificate 'Cert:\CurrentUser\My'
expect_fail "a store cannot be removed" \
	"Remove-StoreCertificate: Cannot remove Cert:\\CurrentUser\\My: only certificates can be removed, and the path names a store."
check "the other certificate is still there" test -f "$MY/$TW.pfx"
run Get-StoreCertificate 'Cert:\CurrentUser\My'
check "the listing shows what is left" test "$RC/$OUT" = "0/$WEB"

finish
