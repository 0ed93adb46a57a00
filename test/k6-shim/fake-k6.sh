#!/bin/sh
# A stand-in `k6` for tests (k6 cannot be installed here): runs fake-k6.ts, the real script under the k6 shim.
exec node --import tsx "$(dirname "$0")/fake-k6.ts" "$@"
