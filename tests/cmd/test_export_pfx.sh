#!/usr/bin/env bash
# Export-PfxCertificate: the PFX layouts, every way scripts name the certificate
# and the file, the parameter sets, and the refusals that leave nothing behind.
. "$(dirname "$0")/lib.sh"
needs openssl script

pfx_thumbprints() {   # FILE PASSWORD: thumbprints of every certificate, sorted
	openssl pkcs12 -in "$1" -passin "pass:$2" -nokeys 2>/dev/null |
		awk '/BEGIN CERT/,/END CERT/' | csplit -s -z -f "$WORK/.c" - '/BEGIN CERT/' '{*}'
	for c in "$WORK"/.c*; do
		openssl x509 -in "$c" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'
		rm -f "$c"
	done | sort
}
pfx_keys() {          # FILE PASSWORD: how many private keys
	openssl pkcs12 -in "$1" -passin "pass:$2" -nocerts -nodes 2>/dev/null | grep -c 'BEGIN PRIVATE KEY'
}
pfx_info() {          # FILE PASSWORD: openssl's description of the layout
	openssl pkcs12 -info -in "$1" -passin "pass:$2" -nodes 2>&1
}
only_files() {        # DIR: the names in DIR (no temporary file may be left)
	ls -A "$1" | tr '\n' ' '
}
thumb_of() { printf '%s\n' "${1##*\\}"; }

cd "$WORK"
run New-SelfSignedCertificate -DnsName a.example -CertStoreLocation 'Cert:\CurrentUser\My' -FriendlyName 'Site A'
expect_ok "a certificate to export is made"
A=$OUT
TA=$(thumb_of "$A")
run New-SelfSignedCertificate -DnsName b.example -CertStoreLocation 'Cert:\CurrentUser\My'
B=$OUT
TB=$(thumb_of "$B")

# The default layout (MANIFEST.md §0): key bag first, 3DES everywhere, SHA-1 MAC, 20-byte salt.
mkdir out
run Export-PfxCertificate -Cert "$A" -FilePath out/a.pfx -Password pw1
expect_ok "a store certificate exports"
check "the output is the file's full path" test "$OUT" = "$WORK/out/a.pfx"
check "the PFX holds that certificate" test "$(pfx_thumbprints out/a.pfx pw1)" = "$TA"
check "the PFX holds its key" test "$(pfx_keys out/a.pfx pw1)" = 1
check "the PFX is 0600" test "$(stat -c %a out/a.pfx)" = 600
info=$(pfx_info out/a.pfx pw1)
check "the MAC is HMAC-SHA1 over 2000 iterations" grep -q '^MAC: sha1, Iteration 2000' <<<"$info"
check "the MAC salt is 20 bytes" grep -q 'salt length: 20' <<<"$info"
check "the key bag is 3DES" grep -q 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2000' <<<"$info"
check "the certificates are 3DES" grep -q 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2000' <<<"$info"
check "the key bag comes before the certificates" test "$(grep -n -m1 'Shrouded Keybag' <<<"$info" | cut -d: -f1)" -lt \
	"$(grep -n -m1 'PKCS7 Encrypted data' <<<"$info" | cut -d: -f1)"
check "the localKeyID is Windows' 01 00 00 00" grep -q 'localKeyID: 01 00 00 00' <<<"$info"
check "the certificate bag carries the store's friendly name" grep -q 'friendlyName: Site A' <<<"$info"
check "the key bag names Windows' key storage provider" grep -q 'Microsoft CSP Name: Microsoft Software Key Storage Provider' <<<"$info"

run Export-PfxCertificate -Cert "$A" -FilePath out/np.pfx -Password pw1 -NoProperties
expect_ok "-NoProperties exports"
check "-NoProperties leaves the friendly name out" test -z "$(pfx_info out/np.pfx pw1 | grep 'friendlyName: Site A')"

run Export-PfxCertificate -Cert "$A" -FilePath out/aes.pfx -Password pw1 -CryptoAlgorithmOption AES256_SHA256
expect_ok "AES256_SHA256 exports"
info=$(pfx_info out/aes.pfx pw1)
check "AES256_SHA256 has a SHA-256 MAC" grep -q '^MAC: sha256, Iteration 2000' <<<"$info"
check "AES256_SHA256 encrypts the key with PBES2 AES-256-CBC" grep -q 'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2000, PRF hmacWithSHA256' <<<"$info"
check "AES256_SHA256 encrypts the certificates with PBES2 AES-256-CBC" grep -q 'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2000, PRF hmacWithSHA256' <<<"$info"
run Export-PfxCertificate -Cert "$A" -FilePath out/bad.pfx -Password pw1 -CryptoAlgorithmOption DES
expect_fail_match "an unknown algorithm is refused by the binder" "^Export-PfxCertificate: Cannot bind parameter 'CryptoAlgorithmOption'"

# Every spelling of -Cert and -FilePath that scripts use (script-corpus.md §2.2).
lower="cert:\\currentuser\\my\\${TA,,}"
cases=(
	"a positional certificate and file|$A|pos.pfx|pos"
	"the PsPath alias|$A|alias.pfx|-PsPath"
	"a lower-case drive path|$lower|lower.pfx|-Cert"
	"a provider-qualified path|Microsoft.PowerShell.Security\\Certificate::CurrentUser\\My\\$TA|prov.pfx|-Cert"
	"forward slashes|Cert:/CurrentUser/My/$TA|slash.pfx|-Cert"
	"a bare thumbprint|$TA|thumb.pfx|-Cert"
	"a .\\ relative file name|$A|.\\dot.pfx|-Cert"
)
for c in "${cases[@]}"; do
	IFS='|' read -r title cert file how <<<"$c"
	if [ "$how" = pos ]; then
		run Export-PfxCertificate "$cert" "$file" -Password pw1
	else
		run Export-PfxCertificate "$how" "$cert" -FilePath "$file" -Password pw1
	fi
	name=${file#.\\}
	check "$title exports the certificate" test "$RC" = 0 -a "$(pfx_thumbprints "$name" pw1)" = "$TA"
done
check "'.\\dot.pfx' is ./dot.pfx, not a name with a backslash" test -f dot.pfx -a ! -e '.\dot.pfx'
mkdir -p sub
(cd sub && run Export-PfxCertificate -Cert "$A" -FilePath rel.pfx -Password pw1 && test "$RC" = 0)
check "a relative path is against the working directory" test -f sub/rel.pfx

PKISHIM_PASSWORD_FD=0 run_input 'pw from fd' Export-PfxCertificate -Cert "$A" -FilePath fd.pfx
expect_ok "the password can come on a descriptor"
check "the descriptor's password protects the file" test "$(pfx_thumbprints fd.pfx 'pw from fd')" = "$TA"

# Several certificates, one file (Examples 1 and 2: the pipeline into one file).
run Export-PfxCertificate -Cert "$A" "$B" -FilePath two.pfx -Password pw1
expect_ok "two -Cert values export"
check "two -Cert values go into one file" test "$(pfx_thumbprints two.pfx pw1)" = "$(printf '%s\n' "$TA" "$TB" | sort)"
check "each certificate brings its key" test "$(pfx_keys two.pfx pw1)" = 2
run Export-PfxCertificate -Cert 'Cert:\CurrentUser\My' -FilePath store.pfx -Password pw1
check "a store path exports every certificate in it" test "$RC" = 0 -a "$(pfx_thumbprints store.pfx pw1)" = "$(printf '%s\n' "$TA" "$TB" | sort)"

# -ChainOption: a leaf signed by a root in the store.
run New-SelfSignedCertificate -Type Custom -Subject 'CN=Chain Root' -KeySpec Signature -KeyUsage CertSign -KeyUsageProperty Sign -CertStoreLocation 'Cert:\CurrentUser\My'
ROOT=$OUT
run New-SelfSignedCertificate -Type Custom -Subject 'CN=Chain Leaf' -Signer "$ROOT" -TextExtension '2.5.29.37={text}1.3.6.1.5.5.7.3.2' -CertStoreLocation 'Cert:\CurrentUser\My'
LEAF=$OUT
run Export-PfxCertificate -Cert "$LEAF" -FilePath chain.pfx -Password pw1
expect_ok "a leaf with a chain exports"
check "BuildChain (the default) adds the issuer" test "$(pfx_thumbprints chain.pfx pw1)" = "$(printf '%s\n' "$(thumb_of "$LEAF")" "$(thumb_of "$ROOT")" | sort)"
check "the chain certificate comes without its key" test "$(pfx_keys chain.pfx pw1)" = 1
run Export-PfxCertificate -Cert "$LEAF" -FilePath leaf.pfx -Password pw1 -ChainOption EndEntityCertOnly
check "EndEntityCertOnly leaves the issuer out" test "$RC" = 0 -a "$(pfx_thumbprints leaf.pfx pw1)" = "$(thumb_of "$LEAF")"
run Export-PfxCertificate -Cert "$LEAF" -FilePath x.pfx -Password pw1 -ChainOption PfxDataOnly
expect_fail "PfxDataOnly needs -PFXData" "Export-PfxCertificate: -ChainOption PfxDataOnly can only be used with -PFXData."

# -PFXData: a PFX re-encrypted (the module hands over a password-less copy).
openssl pkcs12 -in out/a.pfx -passin pass:pw1 -nodes 2>/dev/null | openssl pkcs12 -export -passout pass: -out open.pfx 2>/dev/null
run Export-PfxCertificate -PFXData open.pfx -FilePath reenc.pfx -Password new-pw -ChainOption PfxDataOnly
expect_ok "a password-less PFX re-encrypts"
check "the re-encrypted PFX opens with the new password" test "$(pfx_thumbprints reenc.pfx new-pw)" = "$TA"
check "the re-encrypted PFX keeps the key" test "$(pfx_keys reenc.pfx new-pw)" = 1
run Export-PfxCertificate -PFXData out/a.pfx -FilePath same.pfx -Password pw1
check "a PFX that opens with -Password re-encrypts" test "$RC" = 0 -a "$(pfx_thumbprints same.pfx pw1)" = "$TA"
run Export-PfxCertificate -PFXData out/a.pfx -Cert "$A" -FilePath both.pfx -Password pw1
expect_fail_match "-Cert and -PFXData together are refused" "^Export-PfxCertificate: Parameter set cannot be resolved"

# Output forms.
PKISHIM_OUTPUT=json run Export-PfxCertificate -Cert "$A" -FilePath json.pfx -Password pw1
check "JSON output is the FileInfo's FullName" test "$OUT" = "{\"FullName\":\"$WORK/json.pfx\"}"
script -qec "Export-PfxCertificate -Cert '$A' -FilePath tty.pfx -Password pw1" /dev/null >tty.txt </dev/null
check "on a terminal the Directory: header is shown" grep -q "^    Directory: $WORK" tty.txt
check "on a terminal pwsh's Unix columns are shown" grep -q 'UnixMode *User Group *LastWriteTime *Size Name' tty.txt
check "on a terminal the row shows mode and name" grep -q -- '-rw------- .* tty.pfx' tty.txt
run Export-PfxCertificate -Cert "$A" -FilePath whatif.pfx -Password pw1 -WhatIf
check "-WhatIf says what it would do" test "$RC/$OUT" = "0/What if: Performing the operation \"Export-PfxCertificate\" on target \"whatif.pfx\"."
check "-WhatIf writes nothing" test ! -e whatif.pfx

# Refusals: a clear error, exit 1, and no file (not even a temporary one) left.
mkdir bad
before=$(only_files bad)
run Export-PfxCertificate -Cert "$A" -FilePath bad/none.pfx
expect_fail "no -Password and no -ProtectTo is refused" \
	"Export-PfxCertificate: Either -Password or -ProtectTo must be given to protect the PFX file; on this platform give -Password."
run Export-PfxCertificate -Cert "$A" -FilePath bad/protect.pfx -ProtectTo 'contoso\billb99'
expect_fail_match "-ProtectTo is not supported here" "^Export-PfxCertificate: The parameter 'ProtectTo' is not supported on this platform: .*Active Directory"
mkdir bad/dir.pfx
run Export-PfxCertificate -Cert "$A" -FilePath bad/dir.pfx -Password pw1
expect_fail_match "a directory as -FilePath is refused" '^Export-PfxCertificate: .*directory'
run Export-PfxCertificate -Cert "$A" -FilePath bad/missing/x.pfx -Password pw1
expect_fail_match "a missing directory is refused" '^Export-PfxCertificate: '
run Export-PfxCertificate -Cert 'Cert:\CurrentUser\My\0000000000000000000000000000000000000000' -FilePath bad/nf.pfx -Password pw1
expect_fail_match "a certificate not in the store is refused" '^Export-PfxCertificate: Cannot find the X509 certificate at path'
run New-SelfSignedCertificate -DnsName locked.example -KeyExportPolicy NonExportable -CertStoreLocation 'Cert:\CurrentUser\My'
LOCKED=$OUT
run Export-PfxCertificate -Cert "$LOCKED" -FilePath bad/locked.pfx -Password pw1
expect_fail "a non-exportable key is refused with Windows' message" \
	"Export-PfxCertificate: Cannot export non-exportable private key."
check "refusals leave nothing in the directory" test "$(only_files bad)" = "dir.pfx "

echo original >bad/keep.pfx
run Export-PfxCertificate -Cert "$A" -FilePath bad/keep.pfx -Password pw1 -NoClobber
expect_fail_match "-NoClobber refuses an existing file" '^Export-PfxCertificate: .*exists'
check "-NoClobber leaves the file as it was" test "$(cat bad/keep.pfx)" = original
run Export-PfxCertificate -Cert "$A" -FilePath bad/keep.pfx -Password pw1 -NoClobber -Force
check "-NoClobber wins over -Force" test "$RC/$(cat bad/keep.pfx)" = "1/original"
chmod 444 bad/keep.pfx
run Export-PfxCertificate -Cert "$A" -FilePath bad/keep.pfx -Password pw1
check "a read-only file is not replaced without -Force" test "$RC/$(cat bad/keep.pfx)" = "1/original"
run Export-PfxCertificate -Cert "$A" -FilePath bad/keep.pfx -Password pw1 -Force
check "-Force replaces a read-only file" test "$RC" = 0 -a "$(pfx_thumbprints bad/keep.pfx pw1)" = "$TA"
check "no temporary file is left anywhere" test "$(only_files bad)" = "dir.pfx keep.pfx "
echo old >over.pfx
run Export-PfxCertificate -Cert "$A" -FilePath over.pfx -Password pw1
check "an existing writable file is replaced" test "$RC" = 0 -a "$(pfx_thumbprints over.pfx pw1)" = "$TA"

finish
