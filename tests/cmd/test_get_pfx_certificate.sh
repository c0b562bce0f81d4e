#!/usr/bin/env bash
# Get-PfxCertificate over the certificates and PFX files Windows made.
. "$(dirname "$0")/lib.sh"
needs openssl

W="$SAMPLES/windows"
openssl_thumbprint() {   # FILE [x509 options...]
	local f=$1
	shift
	openssl x509 -in "$f" "$@" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'
}
pfx_key_thumbprint() {   # FILE PASSWORD: the certificate that owns the key
	openssl pkcs12 -in "$1" -passin "pass:$2" -clcerts -nokeys 2>/dev/null |
		openssl x509 -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'
}

for f in "$W"/*.cer "$W"/charlehsin__rabbitmq__DevRootCA.pem "$W"/charlehsin__rabbitmq__localhost.pem; do
	if grep -q 'BEGIN CERTIFICATE' "$f"; then form=PEM; else form=DER; fi
	want=$(openssl_thumbprint "$f" -inform "$form")
	run Get-PfxCertificate -FilePath "$f"
	expect_ok "$(basename "$f") opens"
	check "$(basename "$f") shows the thumbprint openssl computes" test "$OUT" = "$want"
done

cer="$W/PowerShell__PowerShell__CMSTestBadCert.cer"
want=$(openssl_thumbprint "$cer" -inform DER)
cer_want=$want
run Get-PfxCertificate -fi "$cer"
check "a parameter prefix works" test "$RC/$OUT" = "0/$want"
run Get-PfxCertificate "$cer"
check "FilePath is positional" test "$RC/$OUT" = "0/$want"
run Get-PfxCertificate -LiteralPath "$cer"
check "LiteralPath reads the file" test "$RC/$OUT" = "0/$want"
mkdir -p "$WORK/glob"
cp "$W"/adrian-cancio__seguridad-2024__zp*.cer "$WORK/glob/"
run Get-PfxCertificate -FilePath "$WORK/glob/*zp*.cer"
check "wildcards expand" test "$(printf '%s\n' "$OUT" | wc -l)" = "$(ls "$WORK"/glob | wc -l)"
run Get-PfxCertificate -LiteralPath "$WORK/glob/*zp*.cer"
expect_fail "LiteralPath takes no wildcards" \
	"Get-PfxCertificate: Command cannot find any of the specified files."

pfx="$W/ACB-Bible__BibleDB__localhost.pfx"
want=$(pfx_key_thumbprint "$pfx" PassfN2)
run Get-PfxCertificate -FilePath "$pfx" -Password PassfN2
check "a Windows PFX opens with its password" test "$RC/$OUT" = "0/$want"
PKISHIM_PASSWORD_FD=0 run_input PassfN2 Get-PfxCertificate -FilePath "$pfx"
check "the password can come on a descriptor" test "$RC/$OUT" = "0/$want"
run Get-PfxCertificate -FilePath "$pfx" -Password wrong
expect_fail_match "a wrong password is refused" '^Get-PfxCertificate: .*password'
run Get-PfxCertificate -FilePath "$pfx"
expect_fail_match "a protected PFX without a password is refused" '^Get-PfxCertificate: .*password'
run Get-PfxCertificate -FilePath "$pfx" -Password System.Security.SecureString
expect_fail_match "the SecureString type name is refused" 'PkiShim module'

azure="$W/SSLMate__go-pkcs12__windows_azure_tools.p12"
run Get-PfxCertificate -FilePath "$azure"
check "a password-less Windows PFX opens without -Password" test "$RC" = 0 -a ${#OUT} -eq 40

PKISHIM_OUTPUT=json run Get-PfxCertificate -FilePath "$cer"
check "JSON output names the subject" grep -q '"Subject":"CN=CMSTestBadCert"' "$OUTF"
check "JSON output says there is no key" grep -q '"HasPrivateKey":false' "$OUTF"

run Get-PfxCertificate -Foo x
expect_fail "an unknown parameter" \
	"Get-PfxCertificate: A parameter cannot be found that matches parameter name 'Foo'."
run Get-PfxCertificate -FilePath "$WORK/missing.pfx"
expect_fail "a missing file" "Get-PfxCertificate: Command cannot find any of the specified files."
run Get-PfxCertificate -FilePath "$WORK/missing.pfx","$cer"
check "with one file found, the others are reported one by one" test "$RC/$OUT/$ERR" = \
	"1/$cer_want/Get-PfxCertificate: The following file could not be found: $WORK/missing.pfx."
head -c 3000 /dev/urandom >"$WORK/random.pfx"
run Get-PfxCertificate -FilePath "$WORK/random.pfx"
expect_fail_match "random bytes are refused" '^Get-PfxCertificate: '
head -c 1000 "$pfx" >"$WORK/truncated.pfx"
run Get-PfxCertificate -FilePath "$WORK/truncated.pfx" -Password PassfN2
expect_fail_match "a truncated PFX is refused" '^Get-PfxCertificate: '
run Get-PfxCertificate -?
check "-? prints the syntax" test "$RC" = 0
check "the syntax names both sets" grep -q 'Get-PfxCertificate -LiteralPath <string\[\]>' "$OUTF"
run Get-PfxCertificate --pkishim-json
check "the table is printed as JSON" grep -q '"defaultParameterSet":"ByPath"' "$OUTF"

finish
