#!/usr/bin/env bash
# Every format pkishim writes, read by four independent consumers (the openssl
# CLI, .NET through pwsh, Java's keytool, Python's cryptography), which must
# all see the same thumbprints and the same key presence; round trips; every
# Windows-made sample imported and exported again; and pkishim's PFX compared
# structurally with Windows' (shared/samples/windows/MANIFEST.md §0).
. "$(dirname "$0")/lib.sh"
needs openssl pwsh keytool /usr/bin/python3
if ! /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then
	[ "${CI:-}" = true ] && { echo "FAIL: python3-cryptography is required in CI"; exit 1; }
	echo "SKIPPED: Debian's python3-cryptography is not installed"
	exit 0
fi
if openssl list -providers -provider legacy >/dev/null 2>&1; then LEGACY=1; else LEGACY=0; fi

W="$SAMPLES/windows"
cd "$WORK"
thumb_of() { printf '%s\n' "${1##*\\}"; }
joined() { tr '\n' ',' | sed 's/,$//'; }

# --- The consumers. Each reads "kind|file|password" lines and prints
# "file|thumbprints (sorted, comma-separated)|1 when a private key is present".
consume_openssl() {
	local kind file pw certs keys
	while IFS='|' read -r kind file pw; do
		case $kind in
		pfx)
			certs=$(openssl pkcs12 -in "$file" -passin "pass:$pw" -nokeys 2>/dev/null)
			keys=$(openssl pkcs12 -in "$file" -passin "pass:$pw" -nocerts -nodes 2>/dev/null | grep -c 'PRIVATE KEY-----$')
			;;
		cer) certs=$(openssl x509 -inform DER -in "$file"); keys=0 ;;
		p7b) certs=$(openssl pkcs7 -inform DER -in "$file" -print_certs); keys=0 ;;
		*) continue ;;
		esac
		printf '%s|%s|%d\n' "$file" "$(pem_thumbprints <<<"$certs" | joined)" "$((keys > 0))"
	done
}
pem_thumbprints() {   # PEM certificates on stdin -> sorted thumbprints
	awk '/BEGIN CERT/{n++} /BEGIN CERT/,/END CERT/{print > (dir "/.pem" n)}' dir="$WORK"
	for c in "$WORK"/.pem*; do
		[ -e "$c" ] || continue
		openssl x509 -in "$c" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'
		rm -f "$c"
	done | sort
}
consume_dotnet() {    # both X509Certificate2Collection.Import and new X509Certificate2(path, password)
	cat >"$WORK/consume.ps1" <<'EOF'
$ErrorActionPreference = 'Stop'
foreach ($line in [System.IO.File]::ReadAllLines($args[0])) {
	$kind, $file, $pw = $line -split '\|', 3
	if ($kind -eq 'sst') { continue }
	$all = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
	$flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet
	if ($kind -eq 'pfx') { $all.Import($file, $pw, $flags) } else { $all.Import($file) }
	$thumbs = (@($all | ForEach-Object Thumbprint | Sort-Object) -join ',')
	$key = [int](@($all | Where-Object HasPrivateKey).Count -gt 0)
	"$file|$thumbs|$key"
	if ($kind -eq 'pfx' -or $kind -eq 'cer') {
		$one = if ($kind -eq 'pfx') { [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($file, $pw, $flags) }
		       else { [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($file) }
		"ctor|$file|$($one.Thumbprint)|$([int]$one.HasPrivateKey)"
	}
}
EOF
	cat >"$WORK/consume.list"
	pwsh -NoProfile -NonInteractive -File "$WORK/consume.ps1" "$WORK/consume.list" 2>&1
}
consume_keytool() {
	local kind file pw out
	while IFS='|' read -r kind file pw; do
		case $kind in
		pfx) out=$(keytool -list -v -storetype PKCS12 -keystore "$file" -storepass "$pw" 2>&1) ;;
		cer | p7b) out=$(keytool -printcert -v -file "$file" 2>&1) ;;
		*) continue ;;
		esac
		printf '%s|%s|%d\n' "$file" \
			"$(sed -n 's/^[[:space:]]*SHA1: //p' <<<"$out" | tr -d ':' | sort -u | joined)" \
			"$(grep -c 'Entry type: PrivateKeyEntry' <<<"$out" | sed 's/^\([1-9]\).*/1/')"
	done
}
consume_python() {
	/usr/bin/python3 -c '
import hashlib, struct, sys
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7, pkcs12
for line in sys.stdin:
    kind, path, pw = line.rstrip("\n").split("|", 2)
    data = open(path, "rb").read()
    key = 0
    if kind == "pfx":
        p = pkcs12.load_pkcs12(data, pw.encode())
        certs = ([p.cert.certificate] if p.cert else []) + [c.certificate for c in p.additional_certs]
        key = int(p.key is not None)
    elif kind == "cer":
        certs = [x509.load_der_x509_certificate(data)]
    elif kind == "p7b":
        certs = pkcs7.load_der_pkcs7_certificates(data)
    else:
        # [MS-OSHARED] 2.3.9.1: "\0\0\0\0CERT", then {id, 1, length, value} elements; id 32 = certificate.
        assert data[:8] == b"\0\0\0\0CERT", "not an SST"
        certs, at = [], 8
        while at + 12 <= len(data):
            pid, enc, size = struct.unpack_from("<III", data, at)
            at += 12
            if pid == 0 and size == 0:
                break
            if pid == 32:
                certs.append(x509.load_der_x509_certificate(data[at:at + size]))
            at += size
    thumbs = sorted(hashlib.sha1(c.public_bytes(Encoding.DER)).hexdigest().upper() for c in certs)
    print("%s|%s|%d" % (path, ",".join(thumbs), key))
'
}

# --- What pkishim writes.
run New-SelfSignedCertificate -DnsName interop.example -FriendlyName 'Interop Site' -CertStoreLocation 'Cert:\CurrentUser\My'
expect_ok "a certificate is made"
A=$OUT
TA=$(thumb_of "$A")
run New-SelfSignedCertificate -Type Custom -Subject 'CN=Interop Root' -KeyUsage CertSign -CertStoreLocation 'Cert:\CurrentUser\My'
ROOT=$OUT
run New-SelfSignedCertificate -DnsName leaf.example -Signer "$ROOT" -CertStoreLocation 'Cert:\CurrentUser\My'
LEAF=$OUT
CHAIN=$(printf '%s\n' "$(thumb_of "$LEAF")" "$(thumb_of "$ROOT")" | sort | joined)
TWO=$(printf '%s\n' "$TA" "$(thumb_of "$ROOT")" | sort | joined)
Export-PfxCertificate -Cert "$A" -FilePath 3des.pfx -Password 'pw 1' >/dev/null
Export-PfxCertificate -Cert "$A" -FilePath aes.pfx -Password 'pw 1' -CryptoAlgorithmOption AES256_SHA256 >/dev/null
Export-PfxCertificate -Cert "$LEAF" -FilePath chain.pfx -Password 'pw 1' >/dev/null
Export-Certificate -Cert "$A" -FilePath a.cer >/dev/null
Export-Certificate -Cert "$A" -FilePath a.p7b -Type P7B >/dev/null
Export-Certificate -Cert "$A" "$ROOT" -FilePath two.p7b -Type P7B >/dev/null
Export-Certificate -Cert "$A" "$ROOT" -FilePath two.sst >/dev/null
expected=(
	"pfx|$WORK/3des.pfx|pw 1|$TA|1"
	"pfx|$WORK/aes.pfx|pw 1|$TA|1"
	"pfx|$WORK/chain.pfx|pw 1|$CHAIN|1"
	"cer|$WORK/a.cer||$TA|0"
	"p7b|$WORK/a.p7b||$TA|0"
	"p7b|$WORK/two.p7b||$TWO|0"
	"sst|$WORK/two.sst||$TWO|0"
)

# Round trip: export -> import -> export keeps the thumbprint, the key and the friendly name.
run Import-PfxCertificate -FilePath 3des.pfx -CertStoreLocation 'Cert:\CurrentUser\TrustedPeople' -Password 'pw 1' -Exportable
check "the exported PFX imports" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\TrustedPeople\\$TA"
run Export-PfxCertificate -Cert "Cert:\\CurrentUser\\TrustedPeople\\$TA" -FilePath round.pfx -Password 'pw 2'
expect_ok "the imported certificate exports again"
check "the round trip keeps the private key" test \
	"$(openssl pkcs12 -in 3des.pfx -passin 'pass:pw 1' -nocerts -nodes 2>/dev/null | openssl pkey)" = \
	"$(openssl pkcs12 -in round.pfx -passin 'pass:pw 2' -nocerts -nodes 2>/dev/null | openssl pkey)"
check "the round trip keeps the friendly name" grep -q 'friendlyName: Interop Site' \
	<(openssl pkcs12 -info -in round.pfx -passin 'pass:pw 2' -nokeys 2>&1)
expected+=("pfx|$WORK/round.pfx|pw 2|$TA|1")

# Every Windows sample imports and exports again (into its own store root).
pfx_samples=(
	"ACB-Bible__BibleDB__localhost.pfx|PassfN2|modern"
	"BusHero__signing-playground__cert.pfx|1234|modern"
	"PowerShell__PowerShell__ServerCert.pfx|password|modern"
	"SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12|password|modern"
	"charlehsin__rabbitmq__localhost.pfx|P@ssw0rd|modern"
	"PowerShell__PowerShell__ProtectedEventLogging.pfx||rc2"
	"SSLMate__go-pkcs12__windows_azure_tools.p12||rc2"
)
n=0
for s in "${pfx_samples[@]}"; do
	IFS='|' read -r file pw kind <<<"$s"
	[ "$kind" = rc2 ] && [ "$LEGACY" = 0 ] && continue
	n=$((n + 1))
	legacy=()
	[ "$kind" = rc2 ] && legacy=(-legacy)
	orig_certs=$(openssl pkcs12 "${legacy[@]}" -in "$W/$file" -passin "pass:$pw" -nokeys 2>/dev/null | pem_thumbprints | joined)
	key_cert=$(openssl pkcs12 "${legacy[@]}" -in "$W/$file" -passin "pass:$pw" -clcerts -nokeys 2>/dev/null | pem_thumbprints)
	args=(-FilePath "$W/$file" -CertStoreLocation 'Cert:\CurrentUser\My' -Exportable)
	[ -n "$pw" ] && args+=(-Password "$pw")
	PKISHIM_STORE_ROOT="$WORK/samples$n" run Import-PfxCertificate "${args[@]}"
	check "$file imports" test "$RC/$OUT" = "0/Cert:\\CurrentUser\\My\\$key_cert"
	PKISHIM_STORE_ROOT="$WORK/samples$n" run Export-PfxCertificate -Cert "$OUT" -FilePath "sample$n.pfx" -Password 'again'
	expect_ok "$file exports again"
	check "$file: the re-export keeps the key" test \
		"$(openssl pkcs12 "${legacy[@]}" -in "$W/$file" -passin "pass:$pw" -nocerts -nodes 2>/dev/null | openssl pkey)" = \
		"$(openssl pkcs12 -in "sample$n.pfx" -passin 'pass:again' -nocerts -nodes 2>/dev/null | openssl pkey)"
	expected+=("pfx|$WORK/sample$n.pfx|again|$orig_certs|1")
done
for f in "$W"/*.cer "$W"/*.p7b; do
	n=$((n + 1))
	base=$(basename "$f")
	if [ "${f##*.}" = p7b ]; then
		openssl pkcs7 -inform DER -in "$f" -print_certs | openssl x509 -outform DER -out "orig$n.der"
		type=P7B
	else
		openssl x509 -in "$f" -inform "$(head -c 5 "$f" | grep -q -- '-----' && echo PEM || echo DER)" -outform DER -out "orig$n.der"
		type=CERT
	fi
	PKISHIM_STORE_ROOT="$WORK/samples$n" run Import-Certificate -FilePath "$f" -CertStoreLocation 'Cert:\CurrentUser\Root'
	check "$base imports" test "$RC" = 0
	PKISHIM_STORE_ROOT="$WORK/samples$n" run Export-Certificate -Cert "$OUT" -FilePath "sample$n.out" -Type "$type"
	if [ "$type" = P7B ]; then
		check "$base exports again byte for byte" cmp -s "$f" "sample$n.out"
		expected+=("p7b|$WORK/sample$n.out||$(sha1sum "orig$n.der" | cut -c1-40 | tr a-f A-F)|0")
	else
		check "$base exports again as the same DER" cmp -s "orig$n.der" "sample$n.out"
		expected+=("cer|$WORK/sample$n.out||$(sha1sum "orig$n.der" | cut -c1-40 | tr a-f A-F)|0")
	fi
done

# --- Every consumer against every file.
list=$(for e in "${expected[@]}"; do IFS='|' read -r kind file pw _ _ <<<"$e"; printf '%s|%s|%s\n' "$kind" "$file" "$pw"; done)
openssl_out=$(consume_openssl <<<"$list")
keytool_out=$(consume_keytool <<<"$list")
python_out=$(consume_python <<<"$list" 2>&1)
dotnet_out=$(consume_dotnet <<<"$list")
for e in "${expected[@]}"; do
	IFS='|' read -r kind file pw thumbs key <<<"$e"
	want="$file|$thumbs|$key"
	name=$(basename "$file")
	check "Python's cryptography reads $name" grep -qxF "$want" <<<"$python_out"
	# SST is a Windows store format: openssl, Java and .NET on Linux have no reader (Python's is above).
	[ "$kind" = sst ] && continue
	check "openssl reads $name" grep -qxF "$want" <<<"$openssl_out"
	check "keytool reads $name" grep -qxF "$want" <<<"$keytool_out"
	check ".NET's X509Certificate2Collection.Import reads $name" grep -qxF "$want" <<<"$dotnet_out"
	if [ "$kind" = pfx ]; then
		owner=$(openssl pkcs12 -in "$file" -passin "pass:$pw" -clcerts -nokeys 2>/dev/null | pem_thumbprints)
		check ".NET's new X509Certificate2(path, password) reads $name with its key" grep -qxF "ctor|$file|$owner|1" <<<"$dotnet_out"
	elif [ "$kind" = cer ]; then
		check ".NET's new X509Certificate2(path) reads $name" grep -qxF "ctor|$file|$thumbs|0" <<<"$dotnet_out"
	fi
done
[ "$_failed" -gt 0 ] && printf 'openssl:\n%s\npython:\n%s\nkeytool:\n%s\n.NET:\n%s\n' \
	"$openssl_out" "$python_out" "$keytool_out" "$dotnet_out"

# --- pkishim's PFX against Windows' (MANIFEST.md §0): same outer structure, same bags and attributes.
asn1_shape() {        # FILE [OFFSET...]: the ASN.1 tree (inside the OCTET STRINGs at OFFSETs) without contents
	local f=$1 o strparse=()
	shift
	for o in "$@"; do strparse+=(-strparse "$o"); done
	openssl asn1parse -inform DER -in "$f" -i "${strparse[@]}" |
		sed -E 's/^ *[0-9]+:d=([0-9]+) +hl= *[0-9]+ +l= *([0-9]+) (prim|cons): */\1 \2 \3 /' |
		awk '{ $1 = $1; if ($2 > 4) sub(/\[HEX DUMP\].*/, "[HEX]"); if ($2 > 32) $2 = "*"; print }'
}
inner_offset() {      # FILE [OFFSET...]: where the first wrapped OCTET STRING starts
	local f=$1 o strparse=()
	shift
	for o in "$@"; do strparse+=(-strparse "$o"); done
	openssl asn1parse -inform DER -in "$f" "${strparse[@]}" | awk '/d=3 .*OCTET STRING/ { sub(/:.*/, "", $1); print $1; exit }'
}
pfx_shape() {         # the PFX, its AuthenticatedSafe and its key SafeContents
	local o p
	o=$(inner_offset "$1")
	p=$(inner_offset "$1" "$o")
	asn1_shape "$1"
	echo '-- AuthenticatedSafe'
	asn1_shape "$1" "$o"
	echo '-- key SafeContents'
	asn1_shape "$1" "$o" "$p"
}
bag_shape() {         # bags and attribute names in order; values only where Windows fixes them
	openssl pkcs12 -info -in "$1" -passin "pass:$2" -nodes 2>&1 |
		grep -E '^(MAC|PKCS7|Shrouded Keybag|Certificate bag|Bag Attributes|Key Attributes|    [A-Za-z0-9 .]+:)' |
		sed -E 's/^(    friendlyName:|    subject=|    issuer=).*/\1/' |
		grep -v -E '^(subject|issuer)='
}
run New-SelfSignedCertificate -Subject 'CN=localhost' -FriendlyName 'HTTPS Development Certificate' \
	-TextExtension '2.5.29.19={text}','2.5.29.17={text}DNS=localhost' -CertStoreLocation 'Cert:\CurrentUser\My'
Export-PfxCertificate -Cert "$OUT" -FilePath like-bibledb.pfx -Password PassfN2 >/dev/null
diff <(pfx_shape "$W/ACB-Bible__BibleDB__localhost.pfx") <(pfx_shape like-bibledb.pfx) >shape.diff
check "the PFX structure matches Windows' down to the key bag (BibleDB localhost.pfx)" test ! -s shape.diff
diff <(bag_shape "$W/ACB-Bible__BibleDB__localhost.pfx" PassfN2) <(bag_shape like-bibledb.pfx PassfN2) >>shape.diff
check "the bags and their attributes match Windows' (BibleDB localhost.pfx)" test ! -s shape.diff
[ -s shape.diff ] && { echo "Windows (<) and pkishim (>) differ:"; cat shape.diff; }

finish
