#!/usr/bin/env bash
# Runs the weekly review now against the local API (scripts/start.sh), exactly as the Functions timer would:
# it posts the host's timer invocation payload to /WeeklyReview, to 127.0.0.1 with an invocation id (the handler
# answers nothing else there: docs/decisions/0005). Digests land in .data/outbox as .eml files.
set -euo pipefail
cd "$(dirname "$0")/.."
API="${API:-http://127.0.0.1:7071}"
curl -sS -X POST "$API/WeeklyReview" -H 'Content-Type: application/json' \
  -H "X-Azure-Functions-InvocationId: $(cat /proc/sys/kernel/random/uuid)" \
  -d '{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{}}'
echo
ls -1 .data/outbox/*.eml 2>/dev/null || echo "(no digests: nobody had anything to review this week)"
