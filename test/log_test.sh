#!/usr/bin/env bash
# --log-file and ROLLOUT_PACE_LOG (Helm 4 hides stderr): every diagnostic is appended, stamped,
# errors included, and stdout stays as it would be.
set -u
source "$(dirname "$0")/lib.sh" || exit 2
bin=$1
deployment='apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: web'

# A warning and a report, through --log-file.
printf '%s\n' "$deployment" | "$bin" --profile=Paranoid --timeout=1h --report --log-file="$tmp/a.log" > "$tmp/out" 2> "$tmp/err" || die "exit $?"
grep -q "minReadySeconds: 300" "$tmp/out" || die "the stream was not paced"
[[ $(wc -l < "$tmp/a.log") == 2 ]] || die "expected 2 log lines, got: $(cat "$tmp/a.log")"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z rollout-pace: warning: \[no-readiness-probe\] document 1 \(Deployment web\): minReadySeconds 300' "$tmp/a.log" \
  || die "no stamped warning in: $(cat "$tmp/a.log")"
grep -q "rollout-pace: report: document 1 (Deployment web): Paranoid from flag" "$tmp/a.log" || die "no report line"
diff <(sed 's/^[^ ]* //' "$tmp/a.log") "$tmp/err" > /dev/null || die "the log does not hold what stderr held"

# A usage error through ROLLOUT_PACE_LOG, appended to what is there.
printf '%s\n' "$deployment" | ROLLOUT_PACE_LOG="$tmp/a.log" "$bin" --profile=Turbo > "$tmp/out" 2> /dev/null
[[ $? == 2 ]] || die "a bad profile must exit 2"
[[ -s $tmp/out ]] && die "stdout must stay empty on an error"
[[ $(wc -l < "$tmp/a.log") == 3 ]] || die "the error was not appended"
tail -n 1 "$tmp/a.log" | grep -q 'rollout-pace: error: --profile: "Turbo" is not a profile' || die "no error line"

# --log-file wins over the environment.
printf '%s\n' "$deployment" | ROLLOUT_PACE_LOG="$tmp/env.log" "$bin" --profile=Turbo --log-file "$tmp/flag.log" 2> /dev/null
[[ -s $tmp/flag.log && ! -e $tmp/env.log ]] || die "--log-file should win over ROLLOUT_PACE_LOG"

# An unwritable log is a warning on stderr, never a failed render.
printf '%s\n' "$deployment" | "$bin" --profile=Blitz --report --log-file=/nonexistent/dir/x.log > "$tmp/out" 2> "$tmp/err" || die "exit $?"
grep -q "rollout-pace: warning: cannot append to log file /nonexistent/dir/x.log" "$tmp/err" || die "no warning for the bad log: $(cat "$tmp/err")"
echo "log file: 1 passed, 0 failed"
