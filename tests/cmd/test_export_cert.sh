#!/usr/bin/env bash
# Export-Certificate: DER, PKCS#7 and SST files as Windows writes them, the
# default type for one and for several certificates, and the refusals.
. "$(dirname "$0")/lib.sh"
needs openssl

thumb_of() { printf '%s\n' "${1##*\\}"; }
hex() { od -An -tx1 -v "$@" | tr -d ' \n'; }
der_thumbprint() { sha1sum "$1" | cut -c1-40 | tr a-f A-F; }
p7b_thumbprints() {   # FILE: thumbprints of the certificates in a DER PKCS#7, sorted
	openssl pkcs7 -inform DER -in "$1" -print_certs 2>/dev/null |
		awk '/BEGIN CERT/,/END CERT/' | csplit -s -z -f "$WORK/.c" - '/BEGIN CERT/' '{*}'
	for c in "$WORK"/.c*; do
		openssl x509 -in "$c" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'
		rm -f "$c"
	done | sort
}

cd "$WORK"
run New-SelfSignedCertificate -DnsName a.example -CertStoreLocation 'Cert:\CurrentUser\My'
expect_ok "a certificate to export is made"
A=$OUT
TA=$(thumb_of "$A")
run New-SelfSignedCertificate -DnsName b.example -CertStoreLocation 'Cert:\CurrentUser\My'
B=$OUT
TB=$(thumb_of "$B")
BOTH=$(printf '%s\n' "$TA" "$TB" | sort)

run Export-Certificate -Cert "$A" -FilePath a.cer
expect_ok "one certificate exports"
check "the output is the file's full path" test "$OUT" = "$WORK/a.cer"
check "one certificate defaults to DER" openssl x509 -inform DER -in a.cer -noout
check "the .cer is the DER whose SHA-1 is the thumbprint" test "$(der_thumbprint a.cer)" = "$TA"
check "the .cer is not secret: 0644" test "$(stat -c %a a.cer)" = 644
check "the .cer has no trailing bytes" test "$(openssl x509 -inform DER -in a.cer -outform DER | cmp - a.cer && echo same)" = same

cases=(
	"-Type CERT|CERT|cert.cer"
	"lower-case -Type cert|cert|lower.cer"
	"-Type prefix C|C|prefix.cer"
)
for c in "${cases[@]}"; do
	IFS='|' read -r title type file <<<"$c"
	run Export-Certificate -Type "$type" -Cert "$A" -FilePath "$file"
	check "$title writes the DER" test "$RC" = 0 -a "$(der_thumbprint "$file")" = "$TA"
done
run Export-Certificate -Cert "$A" -FullName alias.cer
check "-FullName is an alias of -FilePath" test "$RC" = 0 -a "$(der_thumbprint alias.cer)" = "$TA"
run Export-Certificate -Cert "$A" -FilePath '.\dot.cer'
check "'.\\dot.cer' is ./dot.cer" test "$RC" = 0 -a -f dot.cer -a ! -e '.\dot.cer'
run Export-Certificate -Cert "$TA" -FilePath thumb.cer
check "a bare thumbprint names the certificate" test "$RC" = 0 -a "$(der_thumbprint thumb.cer)" = "$TA"
run Export-Certificate "$A" pos.cer
expect_fail "no parameter is positional" \
	"Export-Certificate: A positional parameter cannot be found that accepts argument '$A'."

# P7B: the layout of `openssl crl2pkcs7 -nocrl`, byte for byte (pki-cmdlets.md §4.2).
run Export-Certificate -Cert "$A" -FilePath a.p7b -Type p7b
expect_ok "lower-case -Type p7b exports"
openssl x509 -inform DER -in a.cer -out a.pem
openssl crl2pkcs7 -nocrl -certfile a.pem -outform DER -out want.p7b
check "the P7B is byte-identical to Windows' layout" cmp -s a.p7b want.p7b
run Export-Certificate -Cert "$A" "$B" -FilePath two.p7b -Type P7B
check "a P7B holds several certificates" test "$RC" = 0 -a "$(p7b_thumbprints two.p7b)" = "$BOTH"

# SST: [MS-OSHARED] 2.3.9.1 serialized store.
run Export-Certificate -Cert "$A" "$B" -FilePath two.sst
expect_ok "two certificates export"
check "several certificates default to SST" test "$(head -c 8 two.sst | hex)" = 0000000043455254
check "the SST ends with the 12-byte end marker" test "$(tail -c 12 two.sst | hex)" = 000000000000000000000000
sst_hex=$(hex two.sst)
for t in "$TA" "$TB"; do
	run Export-Certificate -Cert "$t" -FilePath "$t.cer"
	len=$(printf '%08x' "$(stat -c %s "$t.cer")" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
	check "the SST holds $t as element {32, 1, length, DER}" \
		grep -q "2000000001000000$len$(hex "$t.cer")" <<<"$sst_hex"
done
run Import-Certificate -FilePath two.sst -CertStoreLocation 'Cert:\CurrentUser\AddressBook'
check "an SST reads back with every certificate" test "$RC" = 0 -a "$(printf '%s\n' "$OUT" | wc -l)" = 2
run Export-Certificate -Cert 'Cert:\CurrentUser\My' -FilePath store.sst -Type SST
check "a store path exports the whole store" test "$RC" = 0 -a "$(head -c 8 store.sst | hex)" = 0000000043455254

run Export-Certificate -Cert "$A" "$B" -FilePath two.cer -Type CERT
expect_fail "-Type CERT with several certificates is refused" \
	"Export-Certificate: -Type CERT holds one certificate, but 2 were given; use -Type SST or -Type P7B for several."
check "nothing is written for a refused -Type CERT" test ! -e two.cer

PKISHIM_OUTPUT=json run Export-Certificate -Cert "$A" -FilePath json.cer
check "JSON output is the FileInfo's FullName" test "$OUT" = "{\"FullName\":\"$WORK/json.cer\"}"
run Export-Certificate -Cert "$A" -FilePath whatif.cer -WhatIf
check "-WhatIf writes nothing" test "$RC" = 0 -a ! -e whatif.cer

mkdir bad
run Export-Certificate -Cert "$A" -FilePath ''
expect_fail_match "an empty -FilePath is refused" "^Export-Certificate: Cannot validate argument on parameter 'FilePath'"
mkdir bad/dir.cer
run Export-Certificate -Cert "$A" -FilePath bad/dir.cer
expect_fail_match "a directory as -FilePath is refused" '^Export-Certificate: .*directory'
echo original >bad/keep.cer
run Export-Certificate -Cert "$A" -FilePath bad/keep.cer -NoClobber
check "-NoClobber refuses an existing file" test "$RC/$(cat bad/keep.cer)" = "1/original"
chmod 444 bad/keep.cer
run Export-Certificate -Cert "$A" -FilePath bad/keep.cer
check "a read-only file is kept without -Force" test "$RC/$(cat bad/keep.cer)" = "1/original"
run Export-Certificate -Cert "$A" -FilePath bad/keep.cer -Force
check "-Force replaces a read-only file" test "$RC" = 0 -a "$(der_thumbprint bad/keep.cer)" = "$TA"
run Export-Certificate -Cert 'Cert:\CurrentUser\My\0000000000000000000000000000000000000000' -FilePath bad/nf.cer
expect_fail_match "a certificate not in the store is refused" '^Export-Certificate: Cannot find the X509 certificate at path'
check "no stray file is left" test "$(ls -A bad | tr '\n' ' ')" = "dir.cer keep.cer "

finish
