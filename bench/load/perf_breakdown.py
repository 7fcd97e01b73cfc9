#!/usr/bin/env python3
"""Buckets `perf script` samples of the server into request stages.

Usage: perf script -i FILE | bench/load/perf_breakdown.py [REQUESTS]
Each sample is charged to the first bucket whose pattern matches its leaf
frame (user space) or any kernel frame of its call chain (system calls).
With REQUESTS, also prints CPU microseconds per request (4 kHz sampling).
"""
import re
import sys

# (bucket, regex over the sample's frames), first match wins.
KERNEL = [
    ("fsync / file I/O (kernel)", r"fdatasync|fsync|ext4_|pwrite|pread|vfs_write|vfs_read"),
    ("socket I/O (kernel)", r"sendmsg|recvmsg|tcp_|sock_|epoll"),
    ("thread wake/sleep (futex, scheduler)", r"futex|schedule|finish_task_switch|try_to_wake_up"),
]
USER = [
    ("Ed25519 sign / SHA / HMAC (libsodium)", r"libsodium|crypto_|sodium"),
    ("SQLite (audit insert, reads)", r"libsqlite3|sqlite3"),
    ("JSON encode/decode (Boost.JSON)", r"boost::json"),
    ("HTTP parse/serialize (Beast/Asio)", r"boost::beast|boost::asio|HttpSession"),
    ("malloc/free/memcpy", r"malloc|free|memmove|memcpy|memcmp|_int_|unlink_chunk"),
    ("thread wake/sleep (futex, scheduler)", r"pthread_|futex|lll_"),
]


def classify(frames):
    kernel = [f for f in frames if "[kernel" in f]
    leaf = frames[0] if frames else ""
    if "[kernel" in leaf:
        joined = "\n".join(kernel)
        for name, pattern in KERNEL:
            if re.search(pattern, joined):
                return name
        return "other kernel"
    for name, pattern in USER:
        if re.search(pattern, leaf):
            return name
    return "other user (warden code, libstdc++)"


def main():
    counts = {}
    frames = []
    total = 0
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                bucket = classify(frames)
                counts[bucket] = counts.get(bucket, 0) + 1
                total += 1
            frames = []
        elif line.startswith((" ", "\t")):
            frames.append(line.strip())
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        per = f"  {n / 4000 / requests * 1e6:6.1f} us/request" if requests else ""
        print(f"{100.0 * n / total:5.1f}%  {name}{per}")
    if requests:
        print(f"total {total / 4000 / requests * 1e6:.1f} us CPU/request "
              f"({total} samples)")


if __name__ == "__main__":
    main()
