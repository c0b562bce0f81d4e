# test_service_certificate.sh: Get-, Set- and Test-ServiceCertificate on the real samples and hostile files.
. "$(dirname "$0")/lib.sh"
needs python3 iconv /usr/bin/time

CSCFG="$SAMPLES/cscfg"
DATA="$PKISHIM_SRC/tests/data/xml"
NEW=0123456789ABCDEF0123456789ABCDEF01234567

# The test's own edit: decode (keeping the BOM), replace the k-th thumbprint
# value of <Certificate name=NAME> found by a regular expression, encode back.
expected_edit() { # in out name k value
	python3 - "$@" <<'EOF'
import re, sys
src, dst, name, k, value = sys.argv[1:6]
data = open(src, 'rb').read()
for bom, enc in ((b'\xef\xbb\xbf', 'utf-8'), (b'\xff\xfe', 'utf-16-le'), (b'\xfe\xff', 'utf-16-be'), (b'', 'utf-8')):
    if data.startswith(bom):
        break
text = data[len(bom):].decode(enc)
pat = re.compile(r'<Certificate\s[^>]*name\s*=\s*["\']' + re.escape(name) +
                 r'["\'][^>]*thumbprint\s*=\s*(["\'])(.*?)\1', re.I)
m = list(pat.finditer(text))[int(k)]
text = text[:m.start(2)] + value + text[m.end(2):]
open(dst, 'wb').write(bom + text.encode(enc))
EOF
}

# Every certificate of every sample: set to a new value (bytes as expected),
# then back where the old value was already a normalised thumbprint.
for sample in "$CSCFG"/*.cscfg; do
	base=$(basename "$sample")
	run Get-ServiceCertificate -LiteralPath "$sample"
	[ "$RC" -eq 0 ] || continue
	declare -A seen=()
	# Unit separators instead of tabs: read would merge empty tab-separated fields.
	tr '\t' '\037' <"$OUTF" >"$WORK/rows"
	while IFS=$'\037' read -r path kind role name thumb alg; do
		[ "$kind" = Configuration ] || continue
		k=${seen[$name]:-0}
		seen[$name]=$((k + 1))
		f="$WORK/$base"
		cp "$sample" "$f"
		chmod 644 "$f"
		run Set-ServiceCertificate -LiteralPath "$f" -Role "$role" -Name "$name" -Thumbprint "$NEW"
		if [ "$RC" -ne 0 ]; then
			# Only a certificate without a thumbprint attribute may refuse.
			[[ "$ERR" == *"has no thumbprint attribute"* ]] && _pass ||
			    _fail "$base $role/$name: set" "$ERR"
			continue
		fi
		expected_edit "$sample" "$WORK/want" "$name" "$k" "$NEW"
		check "$base $role/$name: only that value's bytes change" cmp -s "$f" "$WORK/want"
		if [[ "$thumb" =~ ^[0-9A-F]{40}$ ]]; then
			run Set-ServiceCertificate -LiteralPath "$f" -Role "$role" -Name "$name" -Thumbprint "$thumb"
			check "$base $role/$name: setting it back restores the file" cmp -s "$f" "$sample"
		fi
	done <"$WORK/rows"
	unset seen
done

# UTF-16 and BOM variants made from a UTF-8 sample keep their encoding.
src="$CSCFG/NuGet__NuGet.Services.Work__ServiceConfiguration.Cloud.cscfg"
tail -c +4 "$src" >"$WORK/plain.cscfg"
{ printf '\xff\xfe'; iconv -f utf-8 -t utf-16le "$WORK/plain.cscfg"; } >"$WORK/le.cscfg"
{ printf '\xfe\xff'; iconv -f utf-8 -t utf-16be "$WORK/plain.cscfg"; } >"$WORK/be.cscfg"
for v in plain le be; do
	cp "$WORK/$v.cscfg" "$WORK/$v.orig"
	run Set-ServiceCertificate -Path "$WORK/$v.cscfg" -Name AzureManagement -Thumbprint "$NEW"
	expect_ok "$v: set"
	expected_edit "$WORK/$v.orig" "$WORK/want" AzureManagement 0 "$NEW"
	check "$v: the edit keeps the encoding byte for byte" cmp -s "$WORK/$v.cscfg" "$WORK/want"
done

# Thumbprints typed with spaces and lower case are normalised.
cp "$src" "$WORK/n.cscfg"; chmod 644 "$WORK/n.cscfg"
run Set-ServiceCertificate "$WORK/n.cscfg" -Name SSL -Role nuget.services.work -Thumbprint "01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67"
expect_ok "spaced lower-case thumbprint is accepted"
check "and written as 40 upper-case digits" grep -q "name=\"SSL\" thumbprint=\"$NEW\"" "$WORK/n.cscfg"

# Errors: clear message, exit 1, nothing changed.
mkdir "$WORK/e"
cp "$CSCFG"/MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg "$WORK/e/a.cscfg"
cp "$src" "$WORK/e/b.cscfg"
cp "$CSCFG"/MRCollective__AzureWebFarm__ServiceDefinition.csdef "$WORK/e/d.csdef"
cp "$DATA/not-a-service-file.xml" "$WORK/e/pom.xml"
cp "$CSCFG"/dtPaTh__Dynatrace-Azure-CloudServices__ServiceConfiguration.Cloud.cscfg "$WORK/e/bad.cscfg"
cp "$WORK/e/a.cscfg" "$WORK/e/ro.cscfg"
chmod 644 "$WORK"/e/*; chmod 444 "$WORK/e/ro.cscfg"
ln -s a.cscfg "$WORK/e/link.cscfg"
snapshot() { (cd "$WORK/e" && ls -l --time-style=+%s.%N && sha256sum -- *); }
before=$(snapshot)
E="$WORK/e"
run Set-ServiceCertificate "$E/a.cscfg" -Name HTTPS -Role Nope -Thumbprint "$NEW"
expect_fail "an unknown role" "Set-ServiceCertificate: '$E/a.cscfg' has no role named 'Nope'."
run Set-ServiceCertificate "$E/a.cscfg" -Name Nope -Thumbprint "$NEW"
expect_fail "an unknown name" "Set-ServiceCertificate: '$E/a.cscfg' has no certificate named 'Nope' in any role."
run Set-ServiceCertificate "$E/a.cscfg" -Name HTTPS -Thumbprint "0123"
expect_fail "a short thumbprint" "Set-ServiceCertificate: The thumbprint '0123' is not valid: it has 4 hexadecimal digits, a SHA-1 thumbprint has 40."
run Set-ServiceCertificate "$E/a.cscfg" -Name HTTPS -Thumbprint "SHA1:$NEW"
expect_fail_match "a thumbprint with other characters" "^Set-ServiceCertificate: The thumbprint 'SHA1:$NEW' is not valid"
run Set-ServiceCertificate "$E/d.csdef" -Name HTTPS -Thumbprint "$NEW"
expect_fail "a definition" "Set-ServiceCertificate: '$E/d.csdef' is a service definition (.csdef); thumbprints are set in the service configuration (.cscfg)."
run Set-ServiceCertificate "$E/pom.xml" -Name HTTPS -Thumbprint "$NEW"
expect_fail_match "not a service file" "^Set-ServiceCertificate: '$E/pom.xml' is not a service configuration \\(.cscfg\\) or definition \\(.csdef\\): its root element is 'project'"
run Set-ServiceCertificate "$E/bad.cscfg" -Name SSL -Thumbprint "$NEW"
expect_fail "the malformed sample names its line" "Set-ServiceCertificate: '$E/bad.cscfg' is not well-formed XML: line 6: Unescaped '<' not allowed in attributes values."
run Set-ServiceCertificate "$E/ro.cscfg" -Name HTTPS -Thumbprint "$NEW"
expect_fail "a read-only file" "Set-ServiceCertificate: '$E/ro.cscfg' is read-only."
run Set-ServiceCertificate "$E/link.cscfg" -Name HTTPS -Thumbprint "$NEW"
expect_fail "a symbolic link" "Set-ServiceCertificate: '$E/link.cscfg' is a symbolic link; pkishim does not write through links (give the file it points to)."
run Set-ServiceCertificate "$E/nothing-*.cscfg" -Name HTTPS -Thumbprint "$NEW"
expect_fail "a pattern that matches nothing" "Set-ServiceCertificate: Cannot find path '$E/nothing-*.cscfg' because it does not exist."
# Several files: b.cscfg has no HTTPS, so a.cscfg is not changed either.
run Set-ServiceCertificate -Path "$E/[ab].cscfg" -Name HTTPS -Thumbprint "$NEW"
expect_fail "several files, one without the name" "Set-ServiceCertificate: '$E/b.cscfg' has no certificate named 'HTTPS' in any role."
run Set-ServiceCertificate -Path "$E/a.cscfg" -Name HTTPS -Thumbprint "$NEW" -WhatIf
check "-WhatIf says what would change" grep -q "^What if: Performing the operation \"Set thumbprint\" on target \"Role 'AzureWebFarm.Example.Web', certificate 'HTTPS' in $E/a.cscfg: thumbprint 'B6E8A99CB3B0174C053DAF5A48DACB504C5889EC' -> '$NEW'\".$" "$OUTF"
check "no file changed, no file left behind" test "$before" = "$(snapshot)"

# Several files all change, and -PassThru shows the rows that were set.
cp "$E/a.cscfg" "$E/c.cscfg"
run Set-ServiceCertificate -Path "$E/[ac].cscfg" -Name https -Thumbprint "$NEW" -PassThru
expect_ok "two files set in one call"
check "-PassThru prints one line per certificate set" test "$(grep -c "	HTTPS	$NEW	sha1$" "$OUTF")" = 2
mtime=$(stat -c %Y.%i "$E/a.cscfg")
run Set-ServiceCertificate -Path "$E/a.cscfg" -Name HTTPS -Thumbprint "$NEW"
check "a file that already has the value is not rewritten" test "$mtime" = "$(stat -c %Y.%i "$E/a.cscfg")"
PKISHIM_OUTPUT=json run Get-ServiceCertificate -LiteralPath "$E/a.cscfg" -Name HTTPS
check "JSON lines for the module" test "$OUT" = "{\"Path\":\"$E/a.cscfg\",\"Kind\":\"Configuration\",\"Role\":\"AzureWebFarm.Example.Web\",\"Name\":\"HTTPS\",\"Thumbprint\":\"$NEW\",\"ThumbprintAlgorithm\":\"sha1\",\"Line\":20}"

# XML attacks: refused before any entity, DTD or network is touched.
mkfifo "$WORK/secret-fifo"
sed "s|file:///etc/passwd|file://$WORK/secret-fifo|" "$DATA/xxe-file.cscfg" >"$WORK/xxe.cscfg"
for f in "$WORK/xxe.cscfg" "$DATA/xxe-http.cscfg" "$DATA/xxe-parameter.cscfg" "$DATA/billion-laughs.cscfg"; do
	run timeout 10 Get-ServiceCertificate -LiteralPath "$f"
	expect_fail "$(basename "$f") is refused" "Get-ServiceCertificate: '$f' has a DOCTYPE declaration; service files have none, and pkishim does not read DTDs or entities."
done
run strace -f -e trace=open,openat,connect -o "$WORK/trace" Get-ServiceCertificate -LiteralPath "$WORK/xxe.cscfg"
check "the external entity's file is never opened" test -z "$(grep -e secret-fifo -e /etc/passwd "$WORK/trace")"
run strace -f -e trace=connect -o "$WORK/trace" Get-ServiceCertificate -LiteralPath "$DATA/xxe-parameter.cscfg"
check "no connection is made" test -z "$(grep -v -e AF_UNIX -e '+++' "$WORK/trace")"

# Deep nesting and a 200 MB file: refused with bounded memory (max RSS in KB).
max_rss() { # sets RC, ERR and rss (KB)
	/usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>"$ERRF"
	RC=$?
	ERR=$(cat "$ERRF")
	rss=$(tail -1 "$WORK/rss")
}
python3 -c "
import sys
ns='http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration'
sys.stdout.write('<ServiceConfiguration xmlns=\"%s\">' % ns + '<a>' * 500000 + '</a>' * 500000 + '</ServiceConfiguration>')" >"$WORK/deep.cscfg"
max_rss Get-ServiceCertificate -LiteralPath "$WORK/deep.cscfg"
expect_fail "deep nesting is refused" "Get-ServiceCertificate: '$WORK/deep.cscfg' nests elements deeper than 64 levels; service files are not that deep."
check "deep nesting stays under 64 MB ($rss KB)" test "$rss" -lt 65536
{ head -c 1000 "$src"; } >"$WORK/huge.cscfg"
truncate -s 200M "$WORK/huge.cscfg"
max_rss Set-ServiceCertificate -LiteralPath "$WORK/huge.cscfg" -Name SSL -Thumbprint "$NEW"
expect_fail "a 200 MB file is refused" "Set-ServiceCertificate: '$WORK/huge.cscfg' is larger than 4194304 bytes; service files are a few kilobytes."
check "without reading it ($rss KB)" test "$rss" -lt 32768

# Test-ServiceCertificate on crafted pairs: one problem each, on its own line.
run Test-ServiceCertificate -ConfigurationPath "$DATA/pair-ok.cscfg" -DefinitionPath "$DATA/pair.csdef"
expect_ok "a consistent pair passes"
t() { # title cscfg expected-line
	run Test-ServiceCertificate "$DATA/$2" "$DATA/pair.csdef"
	expect_fail "$1" "Test-ServiceCertificate: 1 problem found."
	check "$1: the problem line" test "$OUT" = "$3"
}
t "a csdef certificate missing from the cscfg" pair-missing-certificate.cscfg \
    "$DATA/pair.csdef:10: Role 'Web': certificate 'Api' is declared in the definition but has no Certificate in the configuration."
t "an endpoint certificate= with no entry" pair-missing-endpoint-certificate.cscfg \
    "$DATA/pair.csdef:6: Role 'Web': endpoint 'Transport' uses certificate 'Tcp', which has no Certificate in the configuration."
t "an empty thumbprint" pair-empty-thumbprint.cscfg \
    "$DATA/pair-empty-thumbprint.cscfg:7: Role 'Web': certificate 'Api' has an empty thumbprint."
t "a malformed thumbprint" pair-malformed-thumbprint.cscfg \
    "$DATA/pair-malformed-thumbprint.cscfg:7: Role 'Web': certificate 'Api' has white space in its thumbprint."

# The store: a certificate made into a store is found there; another thumbprint is not.
if command -v New-SelfSignedCertificate >/dev/null; then
	run New-SelfSignedCertificate -DnsName pair.example -CertStoreLocation 'Cert:\LocalMachine\My'
	tp=$(grep -o '[0-9A-F]\{40\}' "$OUTF" | head -1)
	cp "$DATA/pair-ok.cscfg" "$WORK/store.cscfg"
	run Set-ServiceCertificate "$WORK/store.cscfg" -Name SSL -Cert "Cert:\\LocalMachine\\My\\$tp"
	expect_ok "-Cert takes the thumbprint from a store certificate"
	run Test-ServiceCertificate "$WORK/store.cscfg" "$DATA/pair.csdef" -CertStoreLocation 'Cert:\LocalMachine\My'
	expect_fail "thumbprints missing from the store are found" "Test-ServiceCertificate: 2 problems found."
	check "the store certificate is not reported" test -z "$(grep "$tp" "$OUTF")"
	check "the others are" test "$(grep -c 'is not in the certificate store' "$OUTF")" = 2
else
	echo "SKIPPED: store checks (New-SelfSignedCertificate is not built)"
fi

finish
