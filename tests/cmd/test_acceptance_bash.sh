#!/usr/bin/env bash
# The acceptance script (shared/scripts/cloud-services-certificates.ps1) as
# bash commands with a plain password: the .pfx Azure Cloud Services takes and
# the .cer the management portal takes.
. "$(dirname "$0")/lib.sh"
needs openssl

cd "$WORK"
# $cert = New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net -CertStoreLocation "cert:\LocalMachine\My" -KeyLength 2048 -KeySpec "KeyExchange"
run New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net -CertStoreLocation 'cert:\LocalMachine\My' -KeyLength 2048 -KeySpec KeyExchange
expect_ok "step 1: the certificate is made"
cert=$OUT
thumb=${cert##*\\}
check "step 1 prints a path the next steps accept" test "$cert" = "Cert:\\LocalMachine\\My\\$thumb"
# Export-PfxCertificate -Cert $cert -FilePath ".\my-cert-file.pfx" -Password $password
run Export-PfxCertificate -Cert "$cert" -FilePath '.\my-cert-file.pfx' -Password your-password
expect_ok "step 2: the PFX is written"
# Export-Certificate -Type CERT -Cert $cert -FilePath .\my-cert-file.cer
run Export-Certificate -Type CERT -Cert "$cert" -FilePath '.\my-cert-file.cer'
expect_ok "step 3: the CER is written"
check "the two files are in the working directory" test -f my-cert-file.pfx -a -f my-cert-file.cer

info=$(openssl pkcs12 -info -in my-cert-file.pfx -passin pass:your-password -nodes 2>&1)
check "the MAC is SHA-1" grep -q '^MAC: sha1, Iteration 2000$' <<<"$info"
check "the MAC is 20 bytes with a 20-byte salt" grep -q '^MAC length: 20, salt length: 20$' <<<"$info"
check "the key is pbeWithSHA1And3-KeyTripleDES-CBC" grep -q '^Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2000$' <<<"$info"
check "the certificates are pbeWithSHA1And3-KeyTripleDES-CBC" grep -q '^PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2000$' <<<"$info"
check "nothing in the PFX uses another algorithm" test -z "$(grep -E 'Keybag|PKCS7 Encrypted data' <<<"$info" | grep -v TripleDES)"
check "the key bag carries key usage 0x10 (KeySpec KeyExchange)" grep -q 'X509v3 Key Usage: 10' <<<"$info"
check "the key bag carries the LocalMachine key-set attribute" grep -q 'Microsoft Local Key set' <<<"$info"

pfx_cert=$(openssl pkcs12 -in my-cert-file.pfx -passin pass:your-password -clcerts -nokeys 2>/dev/null)
check "the PFX certificate is the store certificate" \
	test "$(openssl x509 -noout -fingerprint -sha1 <<<"$pfx_cert" | sed 's/.*=//; s/://g')" = "$thumb"
check "the PFX key belongs to its certificate" test \
	"$(openssl pkcs12 -in my-cert-file.pfx -passin pass:your-password -nocerts -nodes 2>/dev/null | openssl pkey -pubout)" = \
	"$(openssl x509 -noout -pubkey <<<"$pfx_cert")"
check "the subject is CN=yourdomain.cloudapp.net" \
	test "$(openssl x509 -noout -subject -nameopt RFC2253 <<<"$pfx_cert")" = "subject=CN=yourdomain.cloudapp.net"
check "the key is RSA 2048" grep -q 'Public-Key: (2048 bit)' <(openssl x509 -noout -text <<<"$pfx_cert")

check "the .cer is DER" openssl x509 -inform DER -in my-cert-file.cer -noout
check "the SHA-1 of the .cer is the thumbprint" test "$(sha1sum my-cert-file.cer | cut -c1-40 | tr a-f A-F)" = "$thumb"
check "the .cer is the PFX's certificate" test \
	"$(openssl x509 -inform DER -in my-cert-file.cer)" = "$(openssl x509 <<<"$pfx_cert")"

finish
