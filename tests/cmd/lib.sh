# lib.sh: what the command-level tests share. Source it first; end with `finish`.
#
#   run CMD ARGS...             runs a command; sets RC, OUT, ERR (files $OUTF, $ERRF)
#   run_input TEXT CMD ARGS...  the same with TEXT on standard input
#   expect_ok TITLE             the last run exited 0 and wrote nothing on stderr
#   expect_fail TITLE TEXT      the last run exited 1 and stderr is exactly "TEXT"
#   expect_fail_match TITLE RE  the last run exited 1 and stderr matches the regex RE
#   check TITLE CMD ARGS...     CMD ARGS succeeds
#   check_not TITLE CMD ARGS... CMD ARGS fails
#   needs PROGRAM...            skips the script outside CI when a program is missing;
#                               in CI (CI=true) a missing program fails it
#   needs_root                  skips the script unless root (CI runs as root), which the
#                               tests with a second user need; in CI not root fails it
#   as_nobody CMD ARGS...       runs CMD as uid and gid 65534 with no other groups
#   finish                      prints "N passed, N failed" and sets the exit status
#
# With PKISHIM_VALGRIND=1, `run` runs the command under valgrind (memcheck, full
# leak check); a finding makes the command exit 99, which fails the check. An
# RSA key takes some twenty seconds under valgrind, so New-SelfSignedCertificate
# is checked there only when it makes an ECDSA key.
#
# Every script gets its own $WORK directory (removed at exit), a private store
# root ($PKISHIM_STORE_ROOT) and HOME, and the built commands first on PATH.
set -u

: "${PKISHIM_BIN:?run through ctest, which sets PKISHIM_BIN}"
: "${PKISHIM_SHARED:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../shared" && pwd)}"
: "${PKISHIM_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
export PATH="$PKISHIM_BIN:$HOME/.dotnet/tools:$PATH"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pkishim-test.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
export PKISHIM_STORE_ROOT="$WORK/stores"
export REAL_HOME="$HOME"
export HOME="$WORK/home"
mkdir -p "$HOME"
unset PKISHIM_OUTPUT PKISHIM_PASSWORD_FD
SAMPLES="$PKISHIM_SHARED/samples"
OUTF="$WORK/.out"
ERRF="$WORK/.err"
_passed=0
_failed=0

WRAP=()
if [ "${PKISHIM_VALGRIND:-}" = 1 ]; then
	WRAP=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99)
fi

# LeakSanitizer cannot work under a tracer, so commands traced by strace run
# without it in the sanitizer build (valgrind and the untraced runs check leaks).
strace() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" command strace "$@"
}

wrap_for() {
	if [ "$1" = New-SelfSignedCertificate ] && [[ " $* " != *ECDSA* ]]; then
		WRAPPED=()
	else
		WRAPPED=("${WRAP[@]}")
	fi
}

run() {
	wrap_for "$@"
	"${WRAPPED[@]}" "$@" >"$OUTF" 2>"$ERRF" </dev/null
	RC=$?
	OUT=$(cat "$OUTF")
	ERR=$(cat "$ERRF")
}

run_input() {
	local input=$1
	shift
	wrap_for "$@"
	"${WRAPPED[@]}" "$@" >"$OUTF" 2>"$ERRF" <<<"$input"
	RC=$?
	OUT=$(cat "$OUTF")
	ERR=$(cat "$ERRF")
}

_pass() { _passed=$((_passed + 1)); }
_fail() {
	_failed=$((_failed + 1))
	printf 'FAIL: %s\n' "$1"
	shift
	[ $# -gt 0 ] && printf '  %s\n' "$@"
	return 0
}

expect_ok() {
	if [ "$RC" -eq 0 ] && [ -z "$ERR" ]; then _pass; else
		_fail "$1" "exit $RC" "stderr: $ERR"; fi
}

expect_fail() {
	if [ "$RC" -eq 1 ] && [ "$ERR" = "$2" ]; then _pass; else
		_fail "$1" "exit $RC (want 1)" "stderr: $ERR" "want:   $2"; fi
}

expect_fail_match() {
	if [ "$RC" -eq 1 ] && [[ "$ERR" =~ $2 ]]; then _pass; else
		_fail "$1" "exit $RC (want 1)" "stderr: $ERR" "want /$2/"; fi
}

check() {
	local title=$1
	shift
	if "$@"; then _pass; else _fail "$title" "failed: $*"; fi
}

check_not() {
	local title=$1
	shift
	if "$@"; then _fail "$title" "succeeded: $*"; else _pass; fi
}

needs() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 && continue
		if [ "${CI:-}" = true ]; then
			echo "FAIL: $p is required in CI but missing"
			echo "0 passed, 1 failed"
			exit 1
		fi
		echo "SKIPPED: $p is not installed"
		exit 0
	done
}

needs_root() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && return 0
	if [ "${CI:-}" = true ]; then
		echo "FAIL: this script needs root and setpriv in CI"
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "SKIPPED: a second user needs root and setpriv"
	exit 0
}

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

finish() {
	echo "$_passed passed, $_failed failed"
	[ "$_failed" -eq 0 ]
	exit $?
}
