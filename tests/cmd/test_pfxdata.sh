#!/usr/bin/env bash
# Get-PfxData, Test-Certificate and Test-ServiceCertificate -PfxPath/-Cert
# (the Azure check): pkishim's own files, openssl-made files that break one
# Azure rule each, and the Windows samples.
. "$(dirname "$0")/lib.sh"
needs openssl

cd "$WORK"
W="$SAMPLES/windows"
LEGACY_3DES=(-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg SHA1)

# The status of one rule in the last run's TSV output.
status_of() { awk -F'\t' -v r="$1" '$2 == r { print $1 }' <<<"$OUT"; }

# ---- the acceptance script's certificate and PFX pass every rule ----
run New-SelfSignedCertificate -DnsName www.contoso.com -CertStoreLocation 'cert:\LocalMachine\My' -KeyLength 2048 -KeySpec KeyExchange
expect_ok "the certificate is made"
cert=$OUT
thumb=${cert##*\\}
run Export-PfxCertificate -Cert "$cert" -FilePath good.pfx -Password your-password
expect_ok "the PFX is written"

PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath good.pfx -Domain www.contoso.com 3<<<your-password
expect_ok "Azure: pkishim's PFX passes"
check "Azure: one line per rule" test "$(wc -l <<<"$OUT")" -eq 8
check "Azure: no rule fails" test -z "$(grep -P '^Fail\t' <<<"$OUT")"
check "Azure: encryption TripleDES-SHA1" test "$(status_of PfxEncryption)" = Pass
run Test-ServiceCertificate -Cert "$cert" -Domain www.contoso.com
expect_ok "Azure: the store certificate passes"
check "Azure: a store certificate skips the PFX rule" test "$(status_of PfxEncryption)" = Skipped
PKISHIM_OUTPUT=json PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath good.pfx 3<<<your-password
check "Azure: JSON lines carry rule, status, reason, fix and thumbprint" \
	test "$(grep -c "^{\"Thumbprint\":\"$thumb\",\"Source\":.*\"Rule\":\"X509v3\",\"Status\":\"Pass\",\"Reason\":" <<<"$OUT")" -eq 1
check "Azure: JSON has 8 lines" test "$(wc -l <<<"$OUT")" -eq 8

# The acceptance script's own name is under cloudapp.net: a warning, not a failure.
run New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net -CertStoreLocation 'cert:\LocalMachine\My' -KeyLength 2048 -KeySpec KeyExchange
cloud=$OUT
run Export-PfxCertificate -Cert "$cloud" -FilePath my-cert-file.pfx -Password your-password
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath my-cert-file.pfx 3<<<your-password
check "Azure: the acceptance script's PFX passes (exit 0)" test "$RC" -eq 0
check "Azure: its cloudapp.net name warns" test "$(status_of DomainName)" = Warning
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath my-cert-file.pfx -Domain yourdomain.cloudapp.net 3<<<your-password
check "Azure: -Domain under cloudapp.net fails" test "$RC" -eq 1 -a "$(status_of DomainName)" = Fail

# ---- .cscfg references ----
cat >svc.cscfg <<XML
<?xml version="1.0" encoding="utf-8"?>
<ServiceConfiguration serviceName="svc" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">
  <Role name="WebRole1">
    <Instances count="1" />
    <Certificates>
      <Certificate name="SSL" thumbprint="${thumb,,}" thumbprintAlgorithm="sha1" />
    </Certificates>
  </Role>
</ServiceConfiguration>
XML
sed 's/thumbprint="[^"]*"/thumbprint="0000000000000000000000000000000000000000"/' svc.cscfg >other.cscfg
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath good.pfx -ConfigurationPath svc.cscfg 3<<<your-password
check "Azure: a .cscfg naming the thumbprint (any case) passes" test "$RC" -eq 0 -a "$(status_of Configuration)" = Pass
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath good.pfx -ConfigurationPath other.cscfg 3<<<your-password
check "Azure: a .cscfg without it fails" test "$RC" -eq 1 -a "$(status_of Configuration)" = Fail
check "Azure: the failure says why on stderr" test "$ERR" = "Test-ServiceCertificate: 1 Azure rule failed."

# ---- openssl-made files, one rule broken each ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -subj /CN=www.contoso.com \
	-addext subjectAltName=DNS:www.contoso.com -days 365 -out good.pem 2>/dev/null
openssl req -x509 -newkey rsa:1024 -nodes -keyout k1024.pem -subj /CN=www.contoso.com \
	-addext subjectAltName=DNS:www.contoso.com -days 365 -out c1024.pem 2>/dev/null
openssl req -new -key key.pem -subj /CN=www.contoso.com -out v1.csr
openssl x509 -req -in v1.csr -signkey key.pem -days 365 -out v1.pem 2>/dev/null
openssl req -x509 -key key.pem -subj /CN=www.contoso.com -addext subjectAltName=DNS:www.contoso.com \
	-days 10 -out soon.pem 2>/dev/null
p12() { local out=$1; shift; openssl pkcs12 -export -passout pass:pw -out "$out" "$@" 2>/dev/null; }
p12 o-good.pfx -in good.pem -inkey key.pem "${LEGACY_3DES[@]}"
p12 o-v1.pfx -in v1.pem -inkey key.pem "${LEGACY_3DES[@]}"
p12 o-nokey.pfx -in good.pem -nokeys "${LEGACY_3DES[@]}"
p12 o-sig.pfx -in good.pem -inkey key.pem -keysig "${LEGACY_3DES[@]}"
p12 o-cng.pfx -in good.pem -inkey key.pem -CSP "Microsoft Software Key Storage Provider" "${LEGACY_3DES[@]}"
p12 o-1024.pfx -in c1024.pem -inkey k1024.pem "${LEGACY_3DES[@]}"
p12 o-aes.pfx -in good.pem -inkey key.pem
p12 o-soon.pfx -in soon.pem -inkey key.pem "${LEGACY_3DES[@]}"

# file | rule | status | exit status
while IFS='|' read -r file rule status rc; do
	PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath "$file" -Domain www.contoso.com 3<<<pw
	check "Azure: $file: $rule is $status" test "$(status_of "$rule")" = "$status"
	check "Azure: $file: exit $rc" test "$RC" -eq "$rc"
	check "Azure: $file: only $rule is not Pass" \
		test "$(grep -vcP '^Pass\t' <<<"$OUT")" -eq "$([ "$status" = Pass ] && echo 1 || echo 2)"
done <<'TABLE'
o-good.pfx|PfxEncryption|Pass|0
o-v1.pfx|X509v3|Fail|1
o-sig.pfx|KeyExchange|Fail|1
o-cng.pfx|KeyExchange|Fail|1
o-1024.pfx|KeyLength|Fail|1
o-aes.pfx|PfxEncryption|Fail|1
o-soon.pfx|Validity|Warning|0
TABLE
# (every file skips only Configuration, which the table's "only" count includes)
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath o-aes.pfx 3<<<pw
check "Azure: AES256-SHA256 fails with the docs' sentence" \
	grep -q "Azure Cloud Services does not accept AES256-SHA256 encrypted certificate." "$OUTF"
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath o-nokey.pfx 3<<<pw
check "Azure: a PFX without a key fails PrivateKey" test "$RC" -eq 1 -a "$(status_of PrivateKey)" = Fail
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath o-good.pfx -Domain www.fabrikam.com 3<<<pw
check "Azure: another domain fails DomainName" test "$RC" -eq 1 -a "$(status_of DomainName)" = Fail
PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath o-good.pfx 3<<<wrong
expect_fail "Azure: a wrong password" "Test-ServiceCertificate: The specified network password is not correct."

# ---- the Windows samples: file | password | rules that fail ----
while IFS='|' read -r file password fails; do
	if [ "$password" = - ]; then
		run Test-ServiceCertificate -PfxPath "$W/$file"
	else
		PKISHIM_PASSWORD_FD=3 run Test-ServiceCertificate -PfxPath "$W/$file" 3<<<"$password"
	fi
	got=$(awk -F'\t' '$1 == "Fail" { print $2 }' <<<"$OUT" | sort | paste -sd, -)
	# Validity depends on today's date; the other verdicts are the file's.
	got=$(sed 's/,*Validity//; s/^,//' <<<"$got")
	check "Azure sample $file fails $fails" test "$got" = "$fails"
done <<'TABLE'
charlehsin__rabbitmq__localhost.pfx|P@ssw0rd|KeyExchange
ACB-Bible__BibleDB__localhost.pfx|PassfN2|KeyExchange
SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12|password|KeyExchange,PfxEncryption
SSLMate__go-pkcs12__windows_azure_tools.p12|-|KeyExchange
PowerShell__PowerShell__ProtectedEventLogging.pfx|-|
PowerShell__PowerShell__ServerCert.pfx|password|KeyExchange
BusHero__signing-playground__cert.pfx|1234|KeyExchange
TABLE

# ---- Get-PfxData ----
run Get-PfxData -FilePath good.pfx
expect_fail "Get-PfxData: a protected file needs its password" "Get-PfxData: The specified network password is not correct."
PKISHIM_PASSWORD_FD=3 run Get-PfxData good.pfx 3<<<your-password
expect_ok "Get-PfxData: positional -FilePath with the password"
check "Get-PfxData: captured, it prints the file's full path (what -PFXData takes)" test "$OUT" = "$WORK/good.pfx"
check "Get-PfxData: the password is never printed" test -z "$(grep -r your-password "$OUTF" "$ERRF")"
PKISHIM_OUTPUT=json PKISHIM_PASSWORD_FD=3 run Get-PfxData -FullName good.pfx 3<<<your-password
check "Get-PfxData: JSON for the module" test "$OUT" = \
	"{\"PfxDataFile\":\"$WORK/good.pfx\",\"PasswordProtected\":true,\"ProtectedTo\":[],\"EndEntityCertificates\":[\"$thumb\"],\"OtherCertificates\":[],\"FriendlyNames\":{}}"
# localhost.pem holds the leaf and its DevRootCA.
openssl pkcs12 -export -out o-chain.pfx -in "$W/charlehsin__rabbitmq__localhost.pem" \
	-inkey "$W/charlehsin__rabbitmq__private.pem" -passout pass: "${LEGACY_3DES[@]}"
PKISHIM_OUTPUT=json run Get-PfxData o-chain.pfx
check "Get-PfxData: a password-less file is not PasswordProtected" grep -q '"PasswordProtected":false' "$OUTF"
check "Get-PfxData: the leaf with the key is the end entity" grep -qE '"EndEntityCertificates":\["[0-9A-F]{40}"\],' "$OUTF"
check "Get-PfxData: the CA goes to OtherCertificates" grep -qE '"OtherCertificates":\["[0-9A-F]{40}"' "$OUTF"
run Get-PfxData -FilePath missing.pfx
check "Get-PfxData: a missing file fails" test "$RC" -eq 1 -a -n "$ERR"
# Round trip from bash: the printed path goes back to -PFXData (opened with the same password).
PKISHIM_PASSWORD_FD=3 run Get-PfxData good.pfx 3<<<your-password
data=$OUT
run Export-PfxCertificate -PFXData "$data" -FilePath again.pfx -Password your-password
expect_ok "Get-PfxData | Export-PfxCertificate -PFXData from bash"
check "the re-exported file opens" openssl pkcs12 -in again.pfx -passin pass:your-password -noout

# ---- Test-Certificate ----
run Test-Certificate -Cert "$cert"
check "Test-Certificate: an untrusted self-signed certificate is False, exit 1" test "$OUT" = False -a "$RC" -eq 1
check "Test-Certificate: Windows' chain-status warning" grep -qP '^WARNING: Chain status:$' "$ERRF"
check "Test-Certificate: the flag" grep -qP '^\tCERT_TRUST_IS_UNTRUSTED_ROOT$' "$ERRF"
check "Test-Certificate: Windows' error text" grep -qF "Test-Certificate: A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. 0x800b0109 (-2146762487 CERT_E_UNTRUSTEDROOT)" "$ERRF"
run Test-Certificate -Cert "$cert" -AllowUntrustedRoot
check "Test-Certificate -AllowUntrustedRoot: True, exit 0" test "$OUT" = True -a "$RC" -eq 0
run Test-Certificate -Cert "$cert" -AllowUntrustedRoot -Policy SSL -DNSName 'dns=www.contoso.com'
check "Test-Certificate -Policy SSL -DNSName dns=<name>: True" test "$OUT" = True -a "$RC" -eq 0
run Test-Certificate -Cert "$cert" -AllowUntrustedRoot -Policy SSL -DNSName www.fabrikam.com
check "Test-Certificate: another name is CERT_E_CN_NO_MATCH" test "$OUT" = False -a "$RC" -eq 1 && \
	check "Test-Certificate: its text" grep -q "CERT_E_CN_NO_MATCH" "$ERRF"
run Test-Certificate -Cert "$cert" -AllowUntrustedRoot -EKU 1.3.6.1.5.5.7.3.3
check "Test-Certificate -EKU codeSigning on an SSL certificate: False" test "$OUT" = False -a "$RC" -eq 1
check "Test-Certificate: CERT_TRUST_IS_NOT_VALID_FOR_USAGE" grep -qP '^\tCERT_TRUST_IS_NOT_VALID_FOR_USAGE$' "$ERRF"
run Import-Certificate -FilePath "$W/charlehsin__rabbitmq__DevRootCA.pem" -CertStoreLocation 'Cert:\LocalMachine\Root'
run Import-Certificate -FilePath "$W/charlehsin__rabbitmq__localhost.pem" -CertStoreLocation 'Cert:\LocalMachine\My'
leaf=$OUT
run Test-Certificate "$leaf"
check "Test-Certificate: an expired Windows leaf under a trusted root is False" test "$OUT" = False -a "$RC" -eq 1
check "Test-Certificate: ... with CERT_E_EXPIRED" grep -q "CERT_E_EXPIRED" "$ERRF"
check "Test-Certificate: ... and no untrusted-root flag" test -z "$(grep UNTRUSTED_ROOT "$ERRF")"
PKISHIM_OUTPUT=json run Test-Certificate -Cert "$cert"
check "Test-Certificate for the module: False with exit 0 (its errors are non-terminating)" test "$OUT" = False -a "$RC" -eq 0
run Test-Certificate -Cert "$cert" -Policy FOO
check "Test-Certificate -Policy FOO is refused" test "$RC" -eq 1 -a -n "$ERR"

# ---- help from the tables ----
run Get-PfxData -?
check "Get-PfxData -?" test "$(head -1 <<<"$OUT")" = "Get-PfxData [-FilePath] <string> [-Password <securestring>] [<CommonParameters>]"
run Test-Certificate -?
check "Test-Certificate -?" grep -qF "Test-Certificate [-Cert] <Certificate> [-Policy {BASE | SSL | AUTHENTICODE | NTAUTH}]" "$OUTF"
run Test-ServiceCertificate -?
check "Test-ServiceCertificate -? shows the -PfxPath set" grep -qF -- "-PfxPath <string> [-Password <securestring>] [-Domain <string>]" "$OUTF"
finish
