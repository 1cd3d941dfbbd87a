#!/usr/bin/env bash
# One command for Warden's benchmarks: builds release binaries, then runs direct-vs-Warden side by side.
# Extra arguments go to warden-bench (--requests N --streams N --concurrency N --seconds S --event-delay-ms MS).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product warden
swift build -c release --product warden-bench
"$(swift build -c release --show-bin-path)/warden-bench" "$@"
