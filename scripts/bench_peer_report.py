#!/usr/bin/env python3
# Prints the table of scripts/bench-peer (Markdown): throughput, cold single-answer grading,
# peak memory and status agreement of mockgrade and its Python peer, from the files that
# scripts/bench-peer leaves in its work folder (measurements.tsv, peer.jsonl,
# peer-timings.json, batch/results.jsonl). Standard library only.
#
# Usage: bench_peer_report.py --work DIR --n N --runs K --batch-runs B --corpus FILE
#                             --mockgrade-results FILE
import argparse
import json
import platform
import statistics
import subprocess
import time
from collections import Counter
from pathlib import Path


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cpu_model():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown CPU"


def agreement(mockgrade_rows, peer_rows):
    peer = {row["id"]: row for row in peer_rows}
    same = total = missing = 0
    pairs = Counter()
    diffs = []
    coverage_errors = []
    examples = []
    for row in mockgrade_rows:
        if "points" not in row:
            continue
        other = peer.get(row["id"])
        if other is None:
            missing += 1
            continue
        coverage_errors.append(abs(row["coverage"] - other["coverage"]))
        theirs = {point["id"]: point for point in other["points"]}
        for point in row["points"]:
            twin = theirs.get(point["id"])
            total += 1
            if twin is None:
                pairs[(point["status"], "absent")] += 1
                continue
            diffs.append(abs(point["similarity"] - twin["similarity"]))
            if twin["status"] == point["status"]:
                same += 1
            else:
                pairs[(point["status"], twin["status"])] += 1
                if len(examples) < 5:
                    examples.append((row["id"], point["id"], point["status"], point["similarity"],
                                     twin["status"], twin["similarity"]))
    return {
        "same": same, "total": total, "missing_records": missing, "pairs": pairs,
        "max_similarity_diff": max(diffs, default=0.0),
        "mean_similarity_diff": statistics.mean(diffs) if diffs else 0.0,
        "coverage_mae": statistics.mean(coverage_errors) if coverage_errors else 0.0,
        "examples": examples,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--batch-runs", type=int, required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--mockgrade-results", required=True)
    args = parser.parse_args()
    work = Path(args.work)

    measured = {}
    for line in (work / "measurements.tsv").read_text().splitlines():
        name, wall, rss = line.split("\t")
        measured[name] = (float(wall), int(rss or 0))
    corpus = read_jsonl(args.corpus)
    words = [len(record["answer"].split()) for record in corpus]

    def runs_of(prefix, count):
        """Median wall, highest peak RSS and every wall time of runs PREFIX_1..count."""
        runs = [measured[f"{prefix}_{k}"] for k in range(1, count + 1)]
        return statistics.median(w for w, _ in runs), max(r for _, r in runs), [w for w, _ in runs]

    def cold(prefix):
        return runs_of(prefix, args.runs)

    peer_wall, peer_rss, peer_batch_runs = runs_of("peer_batch", args.batch_runs)
    mock_wall, mock_rss, mock_batch_runs = runs_of("mockgrade_batch", args.batch_runs)
    # Phase timings of the peer's median run (the lower middle one for an even count).
    middle = peer_batch_runs.index(statistics.median_low(peer_batch_runs)) + 1
    timings = json.loads((work / f"peer-timings-{middle}.json").read_text())
    load = {when: (work / f"loadavg-{when}").read_text().strip() for when in ("start", "end")}
    seg_wall, _ = measured["segment"]
    peer_rate = args.n / peer_wall
    mock_rate = args.n / mock_wall
    peer_steady = args.n / (timings["encode_references_s"] + timings["encode_segments_s"] + timings["score_write_s"])
    peer_cold, peer_cold_rss, peer_cold_runs = cold("peer_cold")
    mock_cold, mock_cold_rss, mock_cold_runs = cold("mockgrade_cold")
    result = agreement(read_jsonl(args.mockgrade_results), read_jsonl(work / "peer.jsonl"))
    share = 100.0 * result["same"] / max(result["total"], 1)
    mib = lambda kib: f"{kib / 1024:.0f} MiB"  # noqa: E731

    out = []
    out.append(f"## bench-peer: mockgrade vs the Python peer ({time.strftime('%Y-%m-%d %H:%M %Z')})\n")
    out.append(f"Machine: {cpu_model()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; "
               f"peer torch threads: {timings['threads']}.")
    out.append(f"Corpus: {args.n} answers from scripts/gen-corpus ({Path(args.corpus).name}), "
               f"{len({r['question'] for r in corpus})} questions, {statistics.mean(words):.1f} words on average; "
               f"{timings['segments']} segments ({timings['distinct_segments']} distinct).\n")
    out.append("| metric | Python peer | mockgrade | mockgrade advantage |")
    out.append("|---|---:|---:|---:|")
    out.append(f"| batch throughput, whole process, median of {args.batch_runs} (answers/s) | {peer_rate:.1f} | {mock_rate:.1f} | {mock_rate / peer_rate:.2f}× |")
    out.append(f"| batch wall time (s) | {peer_wall:.1f} | {mock_wall:.1f} | {peer_wall / mock_wall:.2f}× |")
    out.append(f"| batch peak RSS | {mib(peer_rss)} | {mib(mock_rss)} | {peer_rss / max(mock_rss, 1):.2f}× |")
    out.append(f"| cold single-answer grade, median of {args.runs} (s) | {peer_cold:.2f} | {mock_cold:.2f} | {peer_cold / mock_cold:.2f}× |")
    out.append(f"| cold grade peak RSS | {mib(peer_cold_rss)} | {mib(mock_cold_rss)} | {peer_cold_rss / max(mock_cold_rss, 1):.2f}× |")
    out.append(f"| point statuses identical | {result['same']} / {result['total']} | | **{share:.2f}%** |")
    out.append("")
    out.append("Notes:")
    out.append(f"- The peer grades `mockgrade segment` output; segmenting the corpus took {seg_wall:.1f} s "
               "and is not counted in the peer's figures.")
    out.append(f"- Peer phases (s): import {timings['import_s']:.1f}, model load {timings['model_load_s']:.1f}, "
               f"encode {timings['reference_texts']} reference texts {timings['encode_references_s']:.1f}, "
               f"encode segments {timings['encode_segments_s']:.1f}, score+write {timings['score_write_s']:.1f}; "
               f"without import and model load the peer does {peer_steady:.1f} answers/s.")
    out.append("- mockgrade's batch ran with its reference-embedding cache warm (one earlier pass over one answer "
               "per question); the peer embeds each question's reference texts once per run.")
    out.append(f"- Batch runs (s): peer {', '.join(f'{w:.1f}' for w in peer_batch_runs)}; "
               f"mockgrade {', '.join(f'{w:.1f}' for w in mock_batch_runs)} (alternating, peer first).")
    out.append(f"- Cold runs (s): peer {', '.join(f'{w:.2f}' for w in peer_cold_runs)}; "
               f"mockgrade {', '.join(f'{w:.2f}' for w in mock_cold_runs)}.")
    out.append(f"- Similarity |mockgrade − peer| over all points: mean {result['mean_similarity_diff']:.5f}, "
               f"max {result['max_similarity_diff']:.4f}; coverage MAE {result['coverage_mae']:.4f}; "
               f"records missing from the peer: {result['missing_records']}.")
    if result["pairs"]:
        listed = ", ".join(f"{a}→{b}: {count}" for (a, b), count in result["pairs"].most_common())
        out.append(f"- Disagreements (mockgrade→peer): {listed}.")
        for rid, pid, status, sim, other, other_sim in result["examples"]:
            out.append(f"  - {rid} {pid}: mockgrade {status} {sim:.4f}, peer {other} {other_sim:.4f}")
    out.append(f"- Load average (1, 5, 15 min) at the start: {load['start']}; at the end: {load['end']} "
               "(other work on the machine slows both graders).")
    verdict = "meets" if share >= 99.0 else "MISSES"
    out.append(f"- Agreement {share:.2f}% {verdict} the 99% target.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
