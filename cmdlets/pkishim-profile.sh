# /etc/profile.d/pkishim.sh: gives bash login shells the cmdlet names
# (New-SelfSignedCertificate, ...) as functions that run `pkishim <name>`.
# Other shells are left alone: function names with '-' are bash's, not sh's.
if [ -n "${BASH_VERSION:-}" ] && command -v pkishim >/dev/null 2>&1; then
	eval "$(pkishim shellenv)"
fi
