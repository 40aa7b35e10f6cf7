#!/usr/bin/env python3
"""FreeRADIUS detail files -> the accounting records the gateway sent, for the tests.

  radius_detail.py ACCT_DIR                      every record, one JSON object a line
  radius_detail.py ACCT_DIR wait SECONDS EXPR    wait until EXPR (python, `recs` = the
                                                 list) is true; exit 1 on timeout

Each record is a dict attribute -> value as FreeRADIUS wrote it (quotes removed, octets
such as Class as 0x... hex), in the order received.
"""
import glob
import json
import os
import sys
import time


def records(acct_dir):
    out = []
    for path in sorted(glob.glob(os.path.join(acct_dir, "*", "detail*"))):
        rec = None
        with open(path, errors="replace") as f:
            for line in f:
                if not line.strip():
                    if rec:
                        out.append(rec)
                    rec = None
                    continue
                if not line[0].isspace():  # the header: a date
                    rec = {}
                    continue
                if rec is None or "=" not in line:
                    continue
                k, v = line.strip().split("=", 1)
                v = v.strip()
                if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
                    v = v[1:-1]
                rec[k.strip()] = v
        if rec:
            out.append(rec)
    return out


def main():
    d = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == "wait":
        end = time.time() + float(sys.argv[3])
        while True:
            recs = records(d)
            if eval(sys.argv[4], {"recs": recs}):
                return 0
            if time.time() >= end:
                return 1
            time.sleep(0.2)
    for r in records(d):
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
