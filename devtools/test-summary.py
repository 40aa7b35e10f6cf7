#!/usr/bin/env python3
"""Sum meson test logs into one closing line: 'N passed, N failed, N skipped'.

Exit status is non-zero when anything failed, a build failed, or no test ran."""
import argparse
import json
import os
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--failed-builds", type=int, default=0)
ap.add_argument("logs", nargs="*")
args = ap.parse_args()

passed = failed = skipped = 0
bad = []
for path in args.logs:
    if not os.path.exists(path):
        continue
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            r = t.get("result")
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
                bad.append(f"{t.get('name')} ({r})")
failed += args.failed_builds
for b in bad:
    print(f"FAILED: {b}")
if args.failed_builds:
    print(f"FAILED: {args.failed_builds} build tree(s) did not build")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
