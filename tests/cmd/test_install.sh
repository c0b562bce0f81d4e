#!/usr/bin/env bash
# test_install.sh: what `cmake --install` puts where, and the commands by name
# from bash after the documented set-up (README: Install), in a fresh prefix
# with only what the install puts on PATH on PATH.
. "$(dirname "$0")/lib.sh"
: "${PKISHIM_BUILD:?run through ctest, which sets PKISHIM_BUILD}"

prefix="$WORK/prefix"
cmake --install "$PKISHIM_BUILD" --prefix "$prefix" >/dev/null
check "install succeeds" test -x "$prefix/bin/pkishim"

# bin/ holds the front command alone, so pwsh never finds a cmdlet name on PATH.
check "bin/ holds only pkishim" test "$(ls "$prefix/bin")" = pkishim
for name in $(ls "$PKISHIM_BIN" | grep -E '^[A-Z][a-z]+-[A-Za-z]+$'); do
	check "$name is in libexec/pkishim" test -x "$prefix/libexec/pkishim/$name"
done
check "the module records the command directory" \
	grep -q "BinDir = '$prefix/libexec/pkishim'" "$prefix/share/powershell/Modules/PkiShim/PkiShim.Config.psd1"

export PATH="$prefix/bin:/usr/bin:/bin"
check_not "no cmdlet name on PATH" command -v New-SelfSignedCertificate

run pkishim --list
check "pkishim --list names every command" test "$OUT" = "$(ls "$prefix/libexec/pkishim")"
run pkishim new-selfsignedcertificate -?
check "command names are case-insensitive" grep -q '^New-SelfSignedCertificate \[' "$OUTF"
run pkishim Nope
expect_fail "an unknown command" "pkishim: The term 'Nope' is not recognized as the name of a pkishim command; 'pkishim --list' lists them."
run pkishim
check "no arguments: usage, exit 1" test "$RC" -eq 1 -a -n "$ERR"

# The documented bash set-up, then the acceptance script's three steps by name.
eval "$(pkishim shellenv)"
check "the cmdlet names are bash functions" test "$(type -t Export-PfxCertificate)" = function
cd "$WORK"
cert=$(New-SelfSignedCertificate -DnsName yourdomain.cloudapp.net -CertStoreLocation 'cert:\LocalMachine\My' \
	-KeyAlgorithm ECDSA_nistP256 2>"$ERRF")
check "New-SelfSignedCertificate by name prints a Cert:\\ path" \
	grep -Eq '^Cert:\\LocalMachine\\My\\[0-9A-F]{40}$' <<<"$cert"
PKISHIM_PASSWORD_FD=3 Export-PfxCertificate -Cert "$cert" -FilePath '.\my-cert-file.pfx' 3<<<"your-password" >/dev/null
check "Export-PfxCertificate by name" openssl pkcs12 -in my-cert-file.pfx -passin pass:your-password -noout
Export-Certificate -Type CERT -Cert "$cert" -FilePath '.\my-cert-file.cer' >/dev/null
check "Export-Certificate by name" openssl x509 -inform DER -in my-cert-file.cer -noout
check "a pipeline keeps the exit status" bash -c "$(pkishim shellenv)"'; Get-PfxCertificate -FilePath missing.pfx; test $? -eq 1' 2>/dev/null

# Completion of parameter names, enum members (after a comma too) and command names.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_pkishim_complete
	printf '%s\n' "${COMPREPLY[@]}"
}
check "completion of a parameter name" test "$(complete_line New-SelfSignedCertificate -dnsn)" = -DnsName
check "completion through pkishim" test "$(complete_line pkishim New-SelfSignedCertificate -KeySpec K)" = KeyExchange
check "completion of an enum array item" \
	test "$(complete_line New-SelfSignedCertificate -KeyUsage DigitalSignature,KeyE)" = DigitalSignature,KeyEncipherment
check "completion of an alias's values" test "$(complete_line Export-Certificate -Type P)" = P7B
check "completion of command names" test "$(complete_line pkishim Export-)" = "$(printf 'Export-Certificate\nExport-PfxCertificate')"
check "no completion where files fit" test -z "$(complete_line Export-Certificate -FilePath ./m)"
check "completion is registered for every command" bash -c 'eval "$(pkishim shellenv)"; complete -p New-SelfSignedCertificate pkishim >/dev/null'

# The Debian package (cpack) has the same layout under /usr/local.
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
	cpack --config "$PKISHIM_BUILD/CPackConfig.cmake" -B "$WORK/deb" >/dev/null 2>&1
	deb=$(ls "$WORK"/deb/pkishim_*.deb 2>/dev/null | head -1)
	check "cpack makes a Debian package" test -n "$deb"
	dpkg-deb -x "$deb" "$WORK/root"
	check "the package's bin/ holds only pkishim" test "$(ls "$WORK/root/usr/local/bin")" = pkishim
	check "the package's module finds /usr/local/libexec/pkishim" grep -q "BinDir = '/usr/local/libexec/pkishim'" \
		"$WORK/root/usr/local/share/powershell/Modules/PkiShim/PkiShim.Config.psd1"
	check "the package's front command finds its commands" \
		test "$("$WORK/root/usr/local/bin/pkishim" --list)" = "$(ls "$prefix/libexec/pkishim")"
fi

finish
