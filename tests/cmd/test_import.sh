#!/usr/bin/env bash
# Import-PfxCertificate and Import-Certificate: every file Windows made, the
# key export policy, and bad input that must leave the store as it was.
. "$(dirname "$0")/lib.sh"
needs openssl

W="$SAMPLES/windows"
MY="$PKISHIM_STORE_ROOT/CurrentUser/my"
if openssl list -providers -provider legacy >/dev/null 2>&1; then LEGACY=1; else LEGACY=0; fi
key_thumbprint() {    # FILE PASSWORD: the certificate that owns the key, as openssl sees it
	openssl pkcs12 -in "$1" -passin "pass:$2" -clcerts -nokeys 2>/dev/null ||
		openssl pkcs12 -legacy -in "$1" -passin "pass:$2" -clcerts -nokeys 2>/dev/null
}
key_thumb() { key_thumbprint "$@" | openssl x509 -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'; }
cer_thumb() {         # FILE: thumbprint of a DER or PEM certificate
	if grep -q -- '-----BEGIN' "$1"; then openssl x509 -in "$1" -noout -fingerprint -sha1
	else openssl x509 -inform DER -in "$1" -noout -fingerprint -sha1; fi | sed 's/.*=//; s/://g'
}
store_count() { ls -A "$PKISHIM_STORE_ROOT/CurrentUser/${1:-my}" 2>/dev/null | wc -l; }

# Every PFX Windows made, with the password MANIFEST.md gives ("" = none).
samples=(
	"ACB-Bible__BibleDB__localhost.pfx|PassfN2|modern"
	"BusHero__signing-playground__cert.pfx|1234|modern"
	"PowerShell__PowerShell__ServerCert.pfx|password|modern"
	"SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12|password|modern"
	"charlehsin__rabbitmq__localhost.pfx|P@ssw0rd|modern"
	"PowerShell__PowerShell__ProtectedEventLogging.pfx||rc2"
	"SSLMate__go-pkcs12__windows_azure_tools.p12||rc2"
)
for s in "${samples[@]}"; do
	IFS='|' read -r file pw kind <<<"$s"
	args=(-FilePath "$W/$file" -CertStoreLocation 'Cert:\CurrentUser\My')
	[ -n "$pw" ] && args+=(-Password "$pw")
	run Import-PfxCertificate "${args[@]}"
	if [ "$kind" = rc2 ] && [ "$LEGACY" = 0 ]; then
		expect_fail_match "$file (RC2) is refused clearly without the legacy provider" '^Import-PfxCertificate: .*legacy'
		continue
	fi
	want=$(key_thumb "$W/$file" "$pw")
	expect_ok "$file imports"
	check "$file: the output names the certificate with the key" test "$OUT" = "Cert:\\CurrentUser\\My\\$want"
	check "$file: the store holds it" test -f "$MY/$want.pfx"
	check "$file: its store file is 0600" test "$(stat -c %a "$MY/$want.pfx")" = 600
	run Get-PfxCertificate -FilePath "$MY/$want.pfx"
	check "$file: the store file is a password-less PFX" test "$RC/$OUT" = "0/$want"
done
root=$(openssl pkcs12 -in "$W/charlehsin__rabbitmq__localhost.pfx" -passin 'pass:P@ssw0rd' -cacerts -nokeys 2>/dev/null |
	openssl x509 -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
check "the chain certificate of a PFX is imported too" test -f "$MY/$root.pfx"

# The key export policy: non-exportable unless -Exportable, as on Windows.
pfx="$W/BusHero__signing-playground__cert.pfx"
T=$(key_thumb "$pfx" 1234)
run Export-PfxCertificate -Cert "Cert:\\CurrentUser\\My\\$T" -FilePath "$WORK/again.pfx" -Password x
expect_fail "an imported key is not exportable by default" \
	"Export-PfxCertificate: Cannot export non-exportable private key."
run Import-PfxCertificate "$pfx" 'Cert:\CurrentUser\My' -Password 1234 -Exportable
check "FilePath and CertStoreLocation are positions 0 and 1" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\My\\$T"
run Export-PfxCertificate -Cert "Cert:\\CurrentUser\\My\\$T" -FilePath "$WORK/again.pfx" -Password x
expect_ok "-Exportable lets the key out again"
PKISHIM_OUTPUT=json run Import-PfxCertificate -FullName "$pfx" -CertStoreLocation 'Cert:\CurrentUser\TrustedPeople' -Password 1234
check "-FullName is an alias of -FilePath" test "$RC" = 0
check "JSON output says the certificate has its key" grep -q '"HasPrivateKey":true' "$OUTF"
check "JSON output names the store file" grep -q "\"File\":\"$PKISHIM_STORE_ROOT/CurrentUser/trustedpeople/$T.pfx\"" "$OUTF"
PKISHIM_PASSWORD_FD=0 run_input 1234 Import-PfxCertificate -FilePath "$pfx" -CertStoreLocation 'cert:\currentuser\ca'
check "the password can come on a descriptor" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\ca\\$T"

# Bad input: a clear error, exit 1, and the store as it was.
head -c 1000 "$pfx" >"$WORK/truncated.pfx"
head -c 2600 /dev/urandom >"$WORK/random.pfx"
: >"$WORK/empty.pfx"
n=$(store_count)
run Import-PfxCertificate -FilePath "$pfx" -CertStoreLocation 'Cert:\CurrentUser\My' -Password wrong
expect_fail_match "a wrong password is refused" '^Import-PfxCertificate: .*password'
run Import-PfxCertificate -FilePath "$pfx" -CertStoreLocation 'Cert:\CurrentUser\My'
expect_fail_match "a protected PFX without -Password is refused" '^Import-PfxCertificate: .*password'
for f in truncated random empty; do
	run Import-PfxCertificate -FilePath "$WORK/$f.pfx" -CertStoreLocation 'Cert:\CurrentUser\My' -Password 1234
	expect_fail_match "a $f PFX is refused" '^Import-PfxCertificate: '
done
run Import-PfxCertificate -FilePath "$WORK/none.pfx" -CertStoreLocation 'Cert:\CurrentUser\My' -Password 1234
expect_fail_match "a missing file is refused" '^Import-PfxCertificate: '
run Import-PfxCertificate -FilePath "$pfx" -Password 1234
expect_fail "no -CertStoreLocation is refused" \
	"Import-PfxCertificate: The current location is not in the Cert: drive; give -CertStoreLocation, for example Cert:\\CurrentUser\\My."
run Import-PfxCertificate -FilePath "$pfx" -CertStoreLocation 'Cert:\CurrentUser\NoSuchStore' -Password 1234
expect_fail "a store that does not exist is refused" \
	"Import-PfxCertificate: Cannot find the X509 certificate store at path Cert:\\CurrentUser\\NoSuchStore."
run Import-PfxCertificate -FilePath "$pfx" -CertStoreLocation 'Cert:\Nowhere\My' -Password 1234
expect_fail_match "an unknown location is refused" '^Import-PfxCertificate: Cannot find the certificate store because the specified X509 store location Nowhere is not valid.'
run Import-PfxCertificate -FilePath "$pfx" -CertStoreLocation 'Cert:\CurrentUser\My' -Password 1234 -WhatIf
check "-WhatIf imports nothing" test "$RC" = 0 -a "$(store_count)" = "$n"
check "refused imports leave the store as it was" test "$(store_count)" = "$n"
check "no temporary file is left in the store" test -z "$(ls -A "$MY" | grep -v '^[0-9A-F]\{40\}\.pfx$')"

# Import-Certificate: DER, PEM, P7B, SST; only the first certificate except from SST.
cers=(
	"adrian-cancio__seguridad-2024__zpACas.cer|a DER .cer"
	"adrian-cancio__seguridad-2024__zpACas-B64.cer|a PEM .cer"
	"PowerShell__PowerShell__CMSTestBadCert.cer|a DER code-signing .cer"
	"adcorduneanu__grpc-101__poc_lab_ca.cer|an Export-Certificate .cer"
)
for c in "${cers[@]}"; do
	IFS='|' read -r file title <<<"$c"
	want=$(cer_thumb "$W/$file")
	run Import-Certificate -FilePath "$W/$file" -CertStoreLocation 'Cert:\CurrentUser\Root'
	check "$title imports" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\Root\\$want"
done
for p7b in adrian-cancio__seguridad-2024__zpACas-PKCS7.p7b charlehsin__rabbitmq__DevRootCA.p7b; do
	want=$(openssl pkcs7 -inform DER -in "$W/$p7b" -print_certs | openssl x509 -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
	run Import-Certificate "$W/$p7b" -CertStoreLocation 'Cert:\CurrentUser\CA'
	check "the Windows P7B $p7b imports (FilePath is position 0)" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\CA\\$want"
done
openssl crl2pkcs7 -nocrl -certfile "$W/charlehsin__rabbitmq__DevRootCA.pem" \
	-certfile "$W/adrian-cancio__seguridad-2024__zpACas-B64.cer" -outform DER -out "$WORK/two.p7b"
run Import-Certificate -FilePath "$WORK/two.p7b" -CertStoreLocation 'Cert:\CurrentUser\Trust'
check "only the first certificate of a P7B is imported" test "$RC" = 0 -a "$(printf '%s\n' "$OUT" | wc -l)" = 1 -a "$(store_count trust)" = 1
run Export-Certificate -Cert 'Cert:\CurrentUser\Root' -FilePath "$WORK/root.sst"
run Import-Certificate -FilePath "$WORK/root.sst" -CertStoreLocation 'Cert:\CurrentUser\Disallowed'
check "every certificate of an SST is imported" test "$RC" = 0 -a "$(store_count disallowed)" = "$(store_count root)"
openssl pkcs12 -in "$pfx" -passin pass:1234 -nodes 2>/dev/null | openssl pkcs12 -export -passout pass: -out "$WORK/open.pfx" 2>/dev/null
PKISHIM_OUTPUT=json run Import-Certificate -FilePath "$WORK/open.pfx" -CertStoreLocation 'Cert:\CurrentUser\AddressBook'
check "Import-Certificate takes the certificate of a PFX, not its key" grep -q '"HasPrivateKey":false' "$OUTF"

printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all !!\n-----END CERTIFICATE-----\n' >"$WORK/junk.cer"
{ sed -n '1,5p' "$W/adrian-cancio__seguridad-2024__zpACas-B64.cer"; echo '-----END CERTIFICATE-----'; } >"$WORK/cut.cer"
head -c 700 /dev/urandom >"$WORK/random.cer"
n=$(store_count root)
for f in junk cut random empty; do
	[ "$f" = empty ] && : >"$WORK/empty.cer"
	run Import-Certificate -FilePath "$WORK/$f.cer" -CertStoreLocation 'Cert:\CurrentUser\Root'
	expect_fail_match "a $f .cer is refused" '^Import-Certificate: '
done
run Import-Certificate -FilePath '' -CertStoreLocation 'Cert:\CurrentUser\Root'
expect_fail_match "an empty -FilePath is refused" "^Import-Certificate: Cannot validate argument on parameter 'FilePath'"
check "refused certificate imports leave the store as it was" test "$(store_count root)" = "$n"

finish
