#!/usr/bin/env python3
"""Share of the event loops' CPU samples spent in metrics code, from JFR recordings of an http JVM.

Usage: scripts/jfr-metrics-share.py RECORDING.jfr...   (needs the JDK's `jfr` on the PATH)

A sample counts as metrics code when its own code, the top-most frame outside the JDK, is Micrometer,
vertx-micrometer, the Prometheus client, or logmerge's RequestTimer or LogmergeMeters. What such code makes
others do (Vert.x Web registering an end handler, garbage collection of what it allocates) is not counted.
docs/BENCHMARKS.md (round 8) says how the recordings were made.
"""
import collections
import json
import subprocess
import sys

METRICS = ("io.micrometer.", "io.vertx.micrometer.", "io.prometheus.", "dev.logmerge.http.RequestTimer",
           "dev.logmerge.core.metrics.")
JDK = ("java.", "jdk.", "sun.")

for path in sys.argv[1:]:
    printed = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                             capture_output=True, text=True, check=True).stdout
    total = metrics = 0
    by_class = collections.Counter()
    for event in json.loads(printed)["recording"]["events"]:
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or ""
        if "eventloop" not in thread:
            continue
        frames = (event["values"].get("stackTrace") or {}).get("frames", [])
        classes = [frame["method"]["type"]["name"].replace("/", ".") for frame in frames]
        own = next((name for name in classes if not name.startswith(JDK)), "")
        total += 1
        if own.startswith(METRICS):
            metrics += 1
            by_class[own] += 1
    print(f"{path}: {total} event-loop samples, {metrics} ({100 * metrics / max(total, 1):.1f} %) in metrics code")
    for name, samples in by_class.most_common(6):
        print(f"    {samples:5d} {name}")
