#!/usr/bin/env python3
"""Aggregates `jfr print --stack-depth 64 --events jdk.ExecutionSample` output: top self frames,
top frames by thread, and inclusive counts for frames matching given prefixes."""
import re, sys, collections
text = open(sys.argv[1]).read()
thread_filter = sys.argv[2] if len(sys.argv) > 2 else None
samples = []
for block in text.split('jdk.ExecutionSample {')[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', block)
    th = m.group(1) if m else '?'
    st = re.search(r'stackTrace = \[(.*?)\n\s*\]', block, re.S)
    frames = []
    if st:
        for line in st.group(1).strip().split('\n'):
            line = line.strip()
            if not line or line == '...':
                continue
            frames.append(re.sub(r'\s+line:.*$', '', line))
    samples.append((th, frames))
if thread_filter:
    samples = [s for s in samples if re.search(thread_filter, s[0])]
n = len(samples)
print(f"{n} samples")
self_c = collections.Counter(f[0] if f else '?' for _, f in samples)
print("\n-- top self frames")
for k, v in self_c.most_common(25):
    print(f"{100*v/n:5.1f}% {v:5d} {k[:150]}")
th_c = collections.Counter(re.sub(r'\d+', 'N', t) for t, _ in samples)
print("\n-- threads")
for k, v in th_c.most_common(15):
    print(f"{100*v/n:5.1f}% {v:5d} {k}")
incl = collections.Counter()
for _, f in samples:
    seen = set()
    for fr in f:
        key = re.sub(r'\(.*', '', fr)
        if key not in seen:
            seen.add(key); incl[key] += 1
print("\n-- top inclusive methods")
for k, v in incl.most_common(60):
    print(f"{100*v/n:5.1f}% {v:5d} {k[:150]}")
