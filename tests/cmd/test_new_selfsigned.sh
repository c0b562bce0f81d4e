# test_new_selfsigned.sh: New-SelfSignedCertificate end to end: store files, the
# certificate as OpenSSL reads it, the VPN chain, -WhatIf, and bad input.
. "$(dirname "$0")/lib.sh"
needs openssl

CMD=New-SelfSignedCertificate
THUMB_LINE='^Cert:\\(LocalMachine|CurrentUser)\\[Mm][Yy]\\[0-9A-F]{40}$'

store_file() { find "$PKISHIM_STORE_ROOT" -type f -name "$1.pfx" 2>/dev/null | head -n 1; }
store_count() { find "$PKISHIM_STORE_ROOT" -type f 2>/dev/null | wc -l; }
starts_with() { [ "${1#"$2"}" != "$1" ]; }
like() { [[ $1 =~ $2 ]]; }
thumb_of() { printf '%s\n' "${1##*\\}"; }

# The certificate (PEM) from a store file: a password-less PFX.
cert_pem() {
	openssl pkcs12 -in "$1" -nokeys -passin pass: 2>/dev/null |
	    openssl x509 2>/dev/null && return 0
	openssl pkcs12 -legacy -in "$1" -nokeys -passin pass: 2>/dev/null | openssl x509
}

# Makes a certificate; sets CERT (the printed line), FILE and PEM (a .pem copy).
make_cert() { # title args...
	local title=$1
	shift
	run "$CMD" "$@"
	CERT=$OUT FILE="" PEM=""
	if [ "$RC" -ne 0 ] || ! [[ "$OUT" =~ $THUMB_LINE ]]; then
		_fail "$title" "exit $RC" "out: $OUT" "err: $ERR"
		return 1
	fi
	FILE=$(store_file "$(thumb_of "$OUT")")
	PEM="$WORK/$(thumb_of "$OUT").pem"
	if [ -z "$FILE" ] || ! cert_pem "$FILE" >"$PEM"; then
		_fail "$title" "no readable store file for $OUT"
		return 1
	fi
	_pass
}

text_of() { openssl x509 -in "$PEM" -noout -text; }
has() { # title pattern: the certificate text matches
	if text_of | grep -Eq -- "$2"; then _pass; else _fail "$1" "no /$2/ in the certificate"; fi
}

# Fails with exit 1, a message on stderr matching the regex, and no new store file.
refused() { # title regex args...
	local title=$1 re=$2 before
	shift 2
	before=$(store_count)
	run "$CMD" "$@"
	if [ "$RC" -eq 1 ] && [[ "$ERR" =~ $re ]] && [ -z "$OUT" ] &&
	    [ "$(store_count)" -eq "$before" ]; then _pass; else
		_fail "$title" "exit $RC" "stderr: $ERR" "want /$re/" "files $before -> $(store_count)"
	fi
}

# --- the acceptance script's call ---
if make_cert "the acceptance call succeeds" -DnsName yourdomain.cloudapp.net \
    -CertStoreLocation "cert:\\LocalMachine\\My" -KeyLength 2048 -KeySpec "KeyExchange"; then
	check "it prints a Cert: path under LocalMachine\\My" starts_with "$CERT" 'Cert:\LocalMachine\My\'
	has "subject is CN=<dns name>" 'Subject: CN ?= ?yourdomain.cloudapp.net'
	has "issuer is the subject" 'Issuer: CN ?= ?yourdomain.cloudapp.net'
	has "signed with sha256WithRSAEncryption" 'Signature Algorithm: sha256WithRSAEncryption'
	has "RSA 2048" 'Public-Key: \(2048 bit\)'
	has "key usage is critical" 'X509v3 Key Usage: critical'
	has "key usage is DS+KE" 'Digital Signature, Key Encipherment$'
	has "EKU client then server" 'TLS Web Client Authentication, TLS Web Server Authentication'
	has "SAN has the DNS name" 'DNS:yourdomain.cloudapp.net$'
	check "the store file is 0600" [ "$(stat -c %a "$FILE")" = 600 ]
	check "the PFX holds the private key" openssl pkcs12 -in "$FILE" -nocerts -nodes \
	    -passin pass: -out "$WORK/key.pem"
fi

# --- -DnsName a,b,c (one argument, as pwsh passes a,b,c) ---
if make_cert "-DnsName a,b,c succeeds" -DnsName a,b,c -CertStoreLocation 'Cert:\CurrentUser\My'; then
	has "SAN lists a, b, c in order" 'DNS:a, DNS:b, DNS:c'
	has "CN is the first name" 'Subject: CN ?= ?a$'
	check "it lands in CurrentUser" starts_with "$CERT" 'Cert:\CurrentUser\My\'
fi
# pwsh passes @('a','b') to a native command as separate arguments.
if make_cert "-DnsName given as separate arguments" -CertStoreLocation 'Cert:\CurrentUser\My' -DnsName d e; then
	has "both names are in the SAN" 'DNS:d, DNS:e'
fi

# --- multi-RDN subject ---
if make_cert "a multi-RDN subject succeeds" -Type Custom -CertStoreLocation 'Cert:\CurrentUser\My' \
    -Subject 'CN=Patti Fuller,OU=UserAccounts,DC=corp,DC=contoso,DC=com' -KeyUsage DigitalSignature \
    -TextExtension '2.5.29.37={text}1.3.6.1.5.5.7.3.2' '2.5.29.17={text}upn=pattifuller@contoso.com'; then
	check "OpenSSL shows DC=com first (reverse DER order)" \
	    bash -c "openssl x509 -in '$PEM' -noout -subject -nameopt oneline | grep -q 'subject=DC = com, DC = contoso, DC = corp, OU = UserAccounts, CN = Patti Fuller'"
	has "the UPN is an otherName" 'othername: UPN:pattifuller@contoso.com|othername: msUPN|UPN'
	has "EKU client authentication" 'TLS Web Client Authentication$'
fi

# --- the P2S VPN root and child ---
if make_cert "the P2S root succeeds" -Type Custom -KeySpec Signature -Subject "CN=P2SRootCert" \
    -KeyExportPolicy Exportable -HashAlgorithm sha256 -KeyLength 2048 \
    -CertStoreLocation "Cert:\\CurrentUser\\My" -KeyUsageProperty Sign -KeyUsage CertSign; then
	ROOT=$CERT ROOT_PEM=$PEM
	has "the root has KU Certificate Sign only" 'Certificate Sign$'
	check_not "the root has no basic constraints" grep -q 'Basic Constraints' <(text_of)
	check_not "the root has no EKU" grep -q 'Extended Key Usage' <(text_of)
	if make_cert "the P2S child succeeds" -Type Custom -DnsName P2SChildCert -KeySpec Signature \
	    -Subject "CN=P2SChildCert" -KeyExportPolicy Exportable -HashAlgorithm sha256 -KeyLength 2048 \
	    -CertStoreLocation "Cert:\\CurrentUser\\My" -Signer "$ROOT" \
	    -TextExtension "2.5.29.37={text}1.3.6.1.5.5.7.3.2"; then
		has "the child is issued by the root" 'Issuer: CN ?= ?P2SRootCert'
		has "the child has the client EKU" 'TLS Web Client Authentication$'
		has "the child has an AKI" 'Authority Key Identifier'
		run openssl verify -CAfile "$ROOT_PEM" "$PEM"
		check "openssl verify accepts the chain" [ "$RC:${OUT##*: }" = "0:OK" ]
	fi
fi

# --- types, keys, clone, dates ---
if make_cert "CodeSigningCert succeeds" -Type CodeSigningCert -Subject 'CN=Revit Addin Dev' \
    -CertStoreLocation Cert:\\CurrentUser\\My; then
	has "EKU code signing" 'Code Signing$'
	has "KU digital signature only" 'Digital Signature$'
fi
if make_cert "-Type CodeSigning (a unique prefix) binds" -Type CodeSigning -Subject x \
    -CertStoreLocation Cert:\\CurrentUser\\My; then
	has "it is a code-signing certificate" 'Code Signing$'
fi
if make_cert "DocumentEncryptionCert succeeds" -Type DocumentEncryptionCert -DnsName doc \
    -CertStoreLocation Cert:\\CurrentUser\\My; then
	has "EKU document encryption" '1\.3\.6\.1\.4\.1\.311\.80\.1'
	has "KU key and data encipherment" 'Key Encipherment, Data Encipherment$'
fi
if make_cert "Custom -KeyUsage None succeeds" -Type Custom -KeyUsage None -Subject CN=none \
    -CertStoreLocation Cert:\\CurrentUser\\My; then
	check_not "no key usage" grep -q 'X509v3 Key Usage' <(text_of)
	check_not "no EKU" grep -q 'Extended Key Usage' <(text_of)
fi
if make_cert "ECDSA P-256 succeeds" -KeyAlgorithm ECDSA_nistP256 -DnsName ec \
    -CertStoreLocation Cert:\\CurrentUser\\My; then
	has "an EC key on P-256" 'NIST CURVE: P-256|prime256v1'
	has "signed with ecdsa-with-SHA256" 'Signature Algorithm: ecdsa-with-SHA256'
fi
if make_cert "-CloneCert of a Windows certificate succeeds" \
    -CloneCert "$SAMPLES/windows/PowerShell__PowerShell__CMSTestBadCert.cer" \
    -CertStoreLocation Cert:\\CurrentUser\\My; then
	has "the clone keeps the subject" 'Subject: CN ?= ?CMSTestBadCert'
	has "the clone keeps the code-signing EKU" 'Code Signing$'
fi
if make_cert "-NotAfter is kept" -DnsName dates -NotBefore 2026-01-01T00:00:00Z \
    -NotAfter 2030-01-01T00:00:00Z -CertStoreLocation Cert:\\CurrentUser\\My; then
	check "notAfter is 2030-01-01" bash -c "openssl x509 -in '$PEM' -noout -enddate | grep -q 'Jan  1 00:00:00 2030 GMT'"
	check "notBefore is 2026-01-01" bash -c "openssl x509 -in '$PEM' -noout -startdate | grep -q 'Jan  1 00:00:00 2026 GMT'"
fi

# --- defaults and file modes ---
if make_cert "no -CertStoreLocation stores in LocalMachine" -DnsName default.example; then
	check "the default store is LocalMachine\\My" like "$CERT" '^Cert:\\LocalMachine\\[Mm][Yy]\\'
	check "the file is under LocalMachine" starts_with "$FILE" "$PKISHIM_STORE_ROOT/LocalMachine/"
fi
( umask 000; "$CMD" -DnsName umask.example -CertStoreLocation Cert:\\CurrentUser\\My >"$WORK/umask.out" 2>&1 )
F=$(store_file "$(thumb_of "$(cat "$WORK/umask.out")")")
check "the key file is 0600 under umask 000" [ "$(stat -c %a "${F:-/nonexistent}" 2>/dev/null)" = 600 ]

# --- -WhatIf ---
before=$(store_count)
run "$CMD" -DnsName w.example -WhatIf
check "-WhatIf prints what it would do" [ "$OUT" = 'What if: Performing the operation "New-SelfSignedCertificate" on target "CN=w.example".' ]
check "-WhatIf creates nothing" [ "$(store_count)" -eq "$before" ]
check "-WhatIf exits 0" [ "$RC" -eq 0 ]

# --- bad input: exit 1, a clear message, no file ---
P='New-SelfSignedCertificate: '
refused "-KeyLength 512" "^${P}.*512.*1024 to 16384" -DnsName x -KeyLength 512
refused "an unknown curve" "^${P}.*curve 'brainpoolP256r1' is not supported" -DnsName x -KeyAlgorithm ECDSA_brainpoolP256r1
refused "an unknown hash" "^${P}.*hash algorithm 'MD5' is not supported" -DnsName x -HashAlgorithm MD5
refused "a malformed text extension" "^${P}.*'Foo' is not known" -DnsName x -TextExtension '2.5.29.17={text}Foo=bar'
refused "a text extension without =" "^${P}.*expected <oid>=" -DnsName x -TextExtension 'nonsense'
refused "NotAfter before NotBefore" "^${P}NotAfter \(2020-01-01 00:00:00Z\) is before NotBefore" \
    -DnsName x -NotBefore 2021-01-01T00:00:00Z -NotAfter 2020-01-01T00:00:00Z
refused "a signer without a private key" "^${P}.*has no private key" -DnsName x \
    -Signer "$SAMPLES/windows/adcorduneanu__grpc-101__poc_lab_ca.cer"
refused "a store other than My" "^${P}The store 'Cert:.CurrentUser.Root' is not supported" \
    -DnsName x -CertStoreLocation 'Cert:\CurrentUser\Root'
refused "a store location that does not exist" "^${P}" -DnsName x -CertStoreLocation 'Cert:\Nowhere\My'
refused "a path that is not a Cert: path" "^${P}" -DnsName x -CertStoreLocation '/tmp/store'
refused "a TPM provider" "^${P}.*not supported on this platform" -DnsName x \
    -Provider 'Microsoft Platform Crypto Provider'
refused "a smart-card reader" "^${P}The parameter 'Reader' is not supported on this platform" \
    -DnsName x -Reader 'My Reader'
refused "-TestRoot" "^${P}The parameter 'TestRoot' is not supported on this platform" -DnsName x -TestRoot
refused "a positional argument" "^${P}A positional parameter cannot be found that accepts argument 'foo'" foo
refused "no subject at all" "^${P}The subject name is missing" -KeyLength 2048
refused "KeyUsage as one comma string" "^${P}.*KeyUsage" -DnsName x -KeyUsage 'CertSign,CRLSign,Bogus'
refused "a key spec with the software KSP" "^${P}.*NTE_PROV_TYPE_NOT_DEF" -DnsName x \
    -KeySpec KeyExchange -Provider 'Microsoft Software Key Storage Provider'

# A read-only store directory: an error, nothing partial left behind.
if [ "$(id -u)" -ne 0 ]; then
	ro=$(dirname "$(store_file "$(thumb_of "$ROOT")")")
	chmod 500 "$ro"
	before=$(find "$ro" | wc -l)
	run "$CMD" -DnsName ro.example -CertStoreLocation 'Cert:\CurrentUser\My'
	check "a read-only store fails with exit 1" [ "$RC:${ERR:0:${#P}}" = "1:$P" ]
	check "a read-only store keeps no partial file" [ "$(find "$ro" | wc -l)" -eq "$before" ]
	chmod 700 "$ro"
fi

# --- a copy in the CA store, as CertEnroll installs a self-signed certificate (docs/windows-behaviours.md) ---
run "$CMD" -DnsName ca-copy.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\LocalMachine\My'
self=${OUT##*\\}
check "a self-signed certificate is also in LocalMachine\\CA" test -f "$PKISHIM_STORE_ROOT/LocalMachine/ca/$self.pfx"
run Get-StoreCertificate "Cert:\\LocalMachine\\CA\\$self"
check "the CA copy is listed" test "$RC/$OUT" = "0/Cert:\\LocalMachine\\CA\\$self"
run "$CMD" -DnsName signed.example -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\LocalMachine\My' \
    -Signer "Cert:\\LocalMachine\\CA\\$self"
signed=${OUT##*\\}
check "the CA copy holds the key: it can sign" test "$RC" -eq 0 -a -f "$PKISHIM_STORE_ROOT/LocalMachine/my/$signed.pfx"
check "a certificate signed by another gets no CA copy" test ! -e "$PKISHIM_STORE_ROOT/LocalMachine/ca/$signed.pfx"
run Remove-StoreCertificate "Cert:\\LocalMachine\\CA\\$self"
check "removing the CA copy (the HGS docs' step) keeps the one in My" \
    test "$RC" -eq 0 -a ! -e "$PKISHIM_STORE_ROOT/LocalMachine/ca/$self.pfx" -a -f "$PKISHIM_STORE_ROOT/LocalMachine/my/$self.pfx"

# --- shapes of published scripts (docs/windows-behaviours.md) ---
run "$CMD" -Subject 'CN=iot-device' -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My' \
    -TextExtension '2.5.29.19={text}ca=FALSE&pathlength=0'
Export-Certificate -Cert "$OUT" -FilePath "$WORK/iot.cer" >/dev/null
check "Azure IoT's ca=FALSE&pathlength=0 is made, with its path length" \
    bash -c "openssl x509 -inform DER -in '$WORK/iot.cer' -noout -text | grep -q 'CA:FALSE, pathlen:0'"
run "$CMD" -Subject 'CN=HOST @ Sitecore, Inc.' -KeyAlgorithm ECDSA_nistP256 -CertStoreLocation 'Cert:\CurrentUser\My'
Export-Certificate -Cert "$OUT" -FilePath "$WORK/sitecore.cer" >/dev/null
check "a comma inside the CN stays in it (Sitecore's scripts)" \
    test "$(openssl x509 -inform DER -in "$WORK/sitecore.cer" -noout -subject -nameopt RFC2253)" = 'subject=CN=HOST @ Sitecore\, Inc.'

# --- Windows' enum numbers (X509KeyUsageFlags): 128 is DigitalSignature, 6 is CertSign -bor CRLSign ---
if make_cert "-KeyUsage 128" -Subject CN=n -KeyAlgorithm ECDSA_nistP256 -KeyUsage 128; then
	has "128 is Digital Signature" '^ *Digital Signature$'
fi
if make_cert "-KeyUsage 6" -Subject CN=n -KeyAlgorithm ECDSA_nistP256 -KeyUsage 6; then
	has "6 is Certificate Sign, CRL Sign" '^ *Certificate Sign, CRL Sign$'
fi
refused "-KeyUsage 99999 names no members" "Cannot convert value \"99999\" to type" -Subject CN=n -KeyUsage 99999
grep -q '"memberValues":\[0,1,2,4,8,16,32,64,128,32768\]' <("$CMD" --pkishim-json) && _pass ||
	_fail "--pkishim-json gives KeyUsage's Windows values"

# --- the table the PowerShell module reads ---
run "$CMD" --pkishim-json
check "--pkishim-json lists Windows-only parameters" \
    bash -c "grep -q '\"name\":\"SecurityDescriptor\"' '$OUTF' && grep -q '\"windowsOnly\":true' '$OUTF'"
check "--pkishim-json has no positional parameter" bash -c "! grep -q '\"position\":[0-9]' '$OUTF'"
n=$(grep -o '"name":"[A-Za-z]*","aliases"' "$OUTF" | wc -l)
check "--pkishim-json lists every documented parameter" [ "$n" -ge 37 ]

finish
