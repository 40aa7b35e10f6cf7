# SPDX-License-Identifier: BSD-3-Clause
"""bench/run's report for the sstpgw-over-memif stage (bench/gateway/run).

merge(R, out) reads out/gateway.json, adds it to the results as R["gateway"], adds the
ratios to the ceilings measured in the same run (AES-GCM at the same inner size, signature
rates) and the issue's floors, and returns the markdown section.
"""
import json
import os

IMIX = ((64, 7), (576, 4), (1400, 1))  # the generator's pattern (inner IPv4 bytes, count)


def ceiling(C, cipher, size):
    """EVP AES-GCM bytes/s at an inner size; IMIX: the same packet mix, time-weighted."""
    if size != "imix":
        return C.get(f"{cipher}_{size}_bytes_per_s")
    rates = [C.get(f"{cipher}_{s}_bytes_per_s") for s, _ in IMIX]
    if not all(rates):
        return None
    total = sum(s * n for s, n in IMIX)
    return total / sum(s * n / r for (s, n), r in zip(IMIX, rates))


def f(v, fmt="{:.3g}"):
    return "n/a" if v is None else fmt.format(v)


def drops(c):
    """The daemon's drop reasons over the whole search (its counters after the run)."""
    if c is None:
        return "n/a"
    skip = ("drops",)
    named = {k: v for k, v in c.items() if k not in skip and not k.endswith(("_packets", "_sent", "_received", "_opened", "_accepted", "_closed", "_requests", "_accepts", "_messages", "_replies", "_resolved", "_clamped"))}
    return f"{c.get('drops', 0)}" + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(named.items())) + ")" if named else "")


def us(v):
    """Microseconds from the generator's histogram (1 us buckets, 200 ms = overflow)."""
    if v is None or v < 0:
        return "n/a"
    return ">= 200000" if v >= 200000 else f"{v:.0f}"


def merge(R, out):
    path = os.path.join(out, "gateway.json")
    if not os.path.exists(path):
        return []
    G = json.load(open(path))
    R["gateway"] = G
    C, ratios = R["ceilings"], R["ratios"]
    floors = {}
    for key, t in G.get("throughput", {}).items():
        d, size = key.split("_")
        for cipher in ("aes-128-gcm", "aes-256-gcm"):
            c = ceiling(C, cipher, size)
            if c and t.get("inner_bytes_per_s"):
                t[f"vs_{cipher.replace('-', '')}"] = t["inner_bytes_per_s"] / c
                ratios[f"sstpgw_{d}_{size}_vs_{cipher.replace('-', '')}"] = t["inner_bytes_per_s"] / c
    for cert, sign in (("ecdsa", "ecdsap256_sign_per_s"), ("rsa", "rsa2048_sign_per_s")):
        s = G.get("setup", {}).get(cert)
        if s and C.get(sign):
            s["vs_sign_rate"] = s["tunnels_per_s"] / C[sign]
            ratios[f"sstpgw_setup_{cert}_vs_sign_rate"] = s["vs_sign_rate"]
    up = G.get("throughput", {}).get("up_1400", {})
    # TLS 1.3 between OpenSSL peers negotiates TLS_AES_256_GCM_SHA384 (OpenSSL's first choice).
    if up.get("vs_aes256gcm") is not None:
        floors["upstream_1400_ge_half_aes_gcm"] = {"value": up["vs_aes256gcm"], "floor": 0.5,
                                                   "pass": up["vs_aes256gcm"] >= 0.5}
    s = G.get("setup", {}).get("ecdsa")
    if s:
        floors["ecdsa_pap_tunnels_per_s_ge_500"] = {"value": s["tunnels_per_s"], "floor": 500,
                                                    "pass": s["tunnels_per_s"] >= 500}
    for d in ("up", "down"):
        l50 = G.get("latency", {}).get(f"{d}_50")
        if l50:
            floors[f"{d}_p99_at_50pct_le_100us"] = {"value": l50["p99_us"], "floor": 100,
                                                   "pass": 0 <= l50["p99_us"] <= 100}
    G["floors"] = floors

    md = ["## sstpgw over memif (bench/gateway/run)", "", G.get("layout", ""), "",
          "### Throughput (inner packets, <= 0.1% loss, 1 worker core)", "",
          "| direction | inner size | Mpps | Gbit/s | ÷ AES-128-GCM | ÷ AES-256-GCM | tunnels | next step up failed by | generator CPU | gateway drops |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for d in ("up", "down"):
        for size in ("64", "1400", "imix"):
            t = G.get("throughput", {}).get(f"{d}_{size}")
            if t:
                md.append(f"| {d} | {size} | {f(t['mpps'])} | {f(t['inner_gbps'])} | "
                          f"{f(t.get('vs_aes128gcm'))} | {f(t.get('vs_aes256gcm'))} | "
                          f"{t.get('tunnels')} | {t.get('limit') or 'n/a'} | {f(t.get('generator_cpu_share'), '{:.0%}')} | {drops(t.get('gateway_counters'))} |")
    md += ["", "`next step up failed by`: `loss` = more than 0.1% of the inner packets did not arrive "
           "(or a full TLS queue in the generator refused them: TCP back-pressure from the gateway); "
           "`generator` = sstp-loadgen could not offer the rate (the gateway figure is a lower bound). "
           "`gateway drops` (the daemon's counters over the whole search) says where loss happened: "
           "`tx_queue_full` = the memif ring toward the generator was full (the generator did not "
           "drain it in time), `session_tx_backlog` = a tunnel's TLS/TCP queue toward its client was "
           "full (the generator's TCP did not acknowledge in time); no drop = the loss was TCP "
           "back-pressure. sstpgw does not export lib/tcp's own drop counters yet. "
           "`generator CPU`: the share of a core sstp-loadgen got during the best trial "
           "(getrusage): far below 100% means other processes had the cores.", ""]
    if G.get("cycles"):
        md += ["### Worker cycles per inner packet (1400 B, at the measured maximum)", "",
               "| direction | cycles/packet | upper bound | IPC | worker CPU share | method |", "|---|---|---|---|---|---|"]
        for d, c in G["cycles"].items():
            md.append(f"| {d} | {f(c.get('cycles_per_packet'), '{:.0f}')} | "
                      f"{f(c.get('cycles_per_packet_upper_bound'), '{:.0f}')} | {f(c.get('ipc'), '{:.2f}')} | "
                      f"{f(c.get('worker_cpu_share'), '{:.0%}')} | {c.get('method')} |")
        md += ["", "The worker polls: its cycles include idle polling, so a figure is exact only at "
               "saturation. `worker CPU share`: the CPU time the worker thread got in the window "
               "(/proc); below 100% means other processes had its core.", ""]
    if G.get("latency"):
        md += ["### One-way latency, 1400 B (generator stamp before TLS -> far end after decryption)", "",
               "| direction | load | pps | p50 µs | p99 µs | p99.9 µs | loss |", "|---|---|---|---|---|---|---|"]
        for k, l in G["latency"].items():
            d = k.split("_")[0]
            md.append(f"| {d} | {l['load_pct']}% | {l['rate_pps']:.0f} | {us(l['p50_us'])} | "
                      f"{us(l['p99_us'])} | {us(l['p999_us'])} | {f(l['loss'])} |")
        md += ["", "`>= 200000`: beyond the generator's histogram (200 ms).", ""]
    if G.get("setup"):
        md += ["### Tunnels set up per second (TCP + TLS + SSTP + PPP PAP + IPCP, local users)", "",
               "| certificate | tunnels/s | ÷ openssl sign/s | mean set-up ms | failures |", "|---|---|---|---|---|"]
        for c, s in G["setup"].items():
            md.append(f"| {c} | {s['tunnels_per_s']:.0f} | {f(s.get('vs_sign_rate'))} | "
                      f"{f(s['mean_setup_ms'])} | {s['failures'] or 0} |")
        md.append("")
    if floors:
        md += ["### Floors (issue 7)", "", "| floor | value | limit | pass |", "|---|---|---|---|"]
        for k, v in floors.items():
            md.append(f"| {k} | {f(v['value'])} | {v['floor']} | {'yes' if v['pass'] else 'NO'} |")
        md.append("")
    for png in ("gateway-throughput.png", "gateway-latency.png"):
        if os.path.exists(os.path.join(out, png)):
            md += [f"![{png}]({png})", ""]
    for d, top in G.get("perf_top", {}).items():
        if top:
            md += [f"### Where the worker's cycles go ({d}, perf record, 1400 B at the maximum)", "", "```"] + top + ["```", ""]
    return md
