#!/usr/bin/env bash
# test_json_output.sh: with PKISHIM_OUTPUT=json every line a command writes
# (objects on stdout, errors on stderr; "What if:" and "VERBOSE:" lines aside)
# parses with a real JSON parser (python3's json module, strict), over store
# roots, Cert:\ levels, certificates and files whose names hold quotes,
# backslashes, newlines, non-ASCII and non-UTF-8 bytes, and service files.
. "$(dirname "$0")/lib.sh"
needs python3
cd "$WORK" || exit 1
export PKISHIM_OUTPUT=json

# Every line of $OUTF and $ERRF is a JSON object (or a What if:/VERBOSE: line), and there is at least one.
cat >"$WORK/jsonlines.py" <<'PY'
import json, sys
n = 0
for name in sys.argv[1:]:
    for raw in open(name, 'rb').read().split(b'\n'):
        if not raw or raw.startswith(b'What if:') or raw.startswith(b'VERBOSE: '):
            continue
        try:
            json.loads(raw.decode('utf-8'))  # strict: bad escapes and raw control characters fail
        except (ValueError, UnicodeDecodeError) as e:
            print('%s: %r: %s' % (name, raw[:200], e))
            sys.exit(1)
        n += 1
sys.exit(0 if n > 0 else 2)
PY
json_ok() {
	if python3 "$WORK/jsonlines.py" "$OUTF" "$ERRF" >"$WORK/.why"; then _pass; else
		_fail "$1" "exit $RC" "$(cat "$WORK/.why")" "stdout: $OUT" "stderr: $ERR"; fi
}

# Store roots with odd characters: quote, backslash, space, apostrophe, UTF-8, a Latin-1 byte.
for root in "$WORK/st\"o\\re s'" "$WORK/caf$(printf '\303\251') ☃" "$WORK/lat$(printf '\351')n1"; do
	export PKISHIM_STORE_ROOT="$root"
	mkdir -p "$root"
	i=0
	for subject in 'CN="Quoted, Inc", O=Back\slash' "CN=caf$(printf '\303\251') $(printf '\342\230\203')" \
	    'CN=tab	and "quote"' "CN=$(printf 'two\nlines')" "CN=lat$(printf '\351')n1"; do
		i=$((i + 1))
		run New-SelfSignedCertificate -Subject "$subject" -KeyAlgorithm ECDSA_nistP256 \
		    -CertStoreLocation 'Cert:\CurrentUser\My'
		json_ok "New-SelfSignedCertificate -Subject #$i under $root"
	done
	run New-SelfSignedCertificate -DnsName 'odd"name.example' -KeyAlgorithm ECDSA_nistP256 \
	    -CertStoreLocation 'Cert:\LocalMachine\My' -FriendlyName 'a\b"c'
	json_ok "New-SelfSignedCertificate -FriendlyName with a quote under $root"
	thumb=$(Get-StoreCertificate -Path 'Cert:\CurrentUser\My' 2>/dev/null |
	    python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["Thumbprint"])')
	for path in 'Cert:\' 'Cert:\CurrentUser' 'Cert:\LocalMachine' 'Cert:\CurrentUser\My' \
	    "Cert:\\CurrentUser\\My\\$thumb" 'Cert:\CurrentUser\My\*' 'Cert:\Nowhere' \
	    'Cert:\CurrentUser\My\0000000000000000000000000000000000000000'; do
		run Get-StoreCertificate -Path "$path"
		json_ok "Get-StoreCertificate $path under $root"
		run Get-StoreCertificate -Path "$path" -Item
		json_ok "Get-StoreCertificate $path -Item under $root"
	done
	run Get-StoreCertificate -Path 'Cert:\' -Recurse
	json_ok "Get-StoreCertificate -Recurse under $root"

	dir="$WORK/out \"q\" \\ $i"
	mkdir -p "$dir"
	run Export-Certificate -Cert "Cert:\\CurrentUser\\My\\$thumb" -FilePath "$dir/a.cer"
	json_ok "Export-Certificate into an odd folder"
	run Export-Certificate -Cert "Cert:\\CurrentUser\\My\\$thumb" -FilePath "$dir/missing/a.cer"
	json_ok "Export-Certificate into a missing folder (error line)"
	run Export-Certificate -Cert 'Cert:\CurrentUser\My\0000000000000000000000000000000000000000' -FilePath x.cer
	json_ok "Export-Certificate of a missing certificate (error line)"
	PKISHIM_PASSWORD_FD=0 run_input 'pw' Export-PfxCertificate -Cert "Cert:\\CurrentUser\\My\\$thumb" \
	    -FilePath "$dir/a.pfx"
	json_ok "Export-PfxCertificate into an odd folder"
	run Export-PfxCertificate -Cert "Cert:\\CurrentUser\\My\\$thumb" -FilePath "$dir/b.pfx" -WhatIf
	json_ok "Export-PfxCertificate -WhatIf"
	run Import-Certificate -FilePath "$dir/a.cer" -CertStoreLocation 'Cert:\CurrentUser\Root'
	json_ok "Import-Certificate from an odd folder"
	PKISHIM_PASSWORD_FD=0 run_input 'pw' Import-PfxCertificate -FilePath "$dir/a.pfx" \
	    -CertStoreLocation 'Cert:\CurrentUser\Other "s\"'
	json_ok "Import-PfxCertificate into a store with an odd name"
	PKISHIM_PASSWORD_FD=0 run_input 'wrong' Import-PfxCertificate -FilePath "$dir/a.pfx" \
	    -CertStoreLocation 'Cert:\CurrentUser\My'
	json_ok "Import-PfxCertificate with a wrong password (error line)"
	PKISHIM_PASSWORD_FD=0 run_input 'pw' Get-PfxCertificate -FilePath "$dir/a.pfx"
	json_ok "Get-PfxCertificate from an odd folder"
	run Get-PfxCertificate -FilePath "$dir/a.cer" "$dir/none$(printf '\351').cer"
	json_ok "Get-PfxCertificate with a missing non-UTF-8 name (error line)"
	run Remove-StoreCertificate -Path "Cert:\\CurrentUser\\Root\\$thumb" -WhatIf
	json_ok "Remove-StoreCertificate -WhatIf"
	run Remove-StoreCertificate -Path "Cert:\\CurrentUser\\Root\\$thumb" 'Cert:\CurrentUser\Root\0000000000000000000000000000000000000000'
	json_ok "Remove-StoreCertificate, one missing (error line)"
done

# Service files, copied under names with odd characters.
n=0
for sample in "$SAMPLES"/cscfg/*.cscfg; do
	n=$((n + 1))
	[ "$n" -le 12 ] || break
	copy="$WORK/svc \"$n\" \\ $(printf '\351').cscfg"
	cp "$sample" "$copy"
	run Get-ServiceCertificate -LiteralPath "$copy"
	json_ok "Get-ServiceCertificate $(basename "$sample")"
	run Test-ServiceCertificate -LiteralPath "$copy"
	json_ok "Test-ServiceCertificate $(basename "$sample")"
	run Set-ServiceCertificate -LiteralPath "$copy" -Name 'no such "name"' -Thumbprint 0000000000000000000000000000000000000000
	json_ok "Set-ServiceCertificate with a missing name (error line)"
done
run Get-ServiceCertificate -LiteralPath "$WORK/none\"\\.cscfg"
json_ok "Get-ServiceCertificate of a missing file (error line)"

finish
