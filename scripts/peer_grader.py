#!/usr/bin/env python3
# The Python peer of mockgrade: a straightforward reference grader that embeds with
# sentence-transformers and applies mockgrade's scoring formula (src/score/mod.rs) with
# the thresholds of data/thresholds.toml. scripts/bench-peer runs it in the venv it builds.
#
# It reads the output of `mockgrade segment INPUT` (segments, their embedding-free facts,
# the point variants and the question text of each record), so both graders score the
# same segments; segmentation is mockgrade's and is not timed here.
#
# Usage: peer_grader.py --segments SEGMENTS.jsonl --out STATUSES.jsonl
#                       [--model DIR] [--thresholds FILE] [--timings FILE] [--threads N]
#                       [--device cpu|cuda]
# Writes one line per record: {"id", "question_id", "coverage", "points": [{"id",
# "status", "similarity"}]}; --timings writes a JSON object of phase timings in seconds.
import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Copied from src/text_cues.rs; only needed when lexical_weight > 0.
STOPWORDS = set(
    "the and for with that this from into onto are was were been being have has had will "
    "would should could can may might must shall our your their its they them you what when "
    "which who how why where also then than such like some any all each more most very just "
    "over about make use using used do does did not but".split()
)
F32 = None  # numpy.float32, set once numpy is imported


def content_stems(text):
    """src/text_cues.rs content_stems: first five letters of each non-stopword of 3+ letters."""
    words = [w.replace("\u2019", "'").lower() for w in re.split(r"[^\w'\u2019]|_", text) if w]
    return {w[:5] for w in words if len(w) >= 3 and w not in STOPWORDS}


def stem_overlap(reference, candidate):
    if not reference:
        return 0.0
    return len(reference & candidate) / len(reference)


def load_thresholds(path):
    with open(path, "rb") as handle:
        table = tomllib.load(handle)["thresholds"]
    names = ["covered", "partial", "partial_credit", "restate_similarity", "restate_novelty",
             "restate_margin", "question_margin", "keyword_penalty", "lexical_weight"]
    thresholds = {name: F32(table[name]) for name in names}
    thresholds["match_mode"] = table["match_mode"]
    return thresholds


def best_segment(scores, eligible):
    """Index of the first highest score among eligible segments (mockgrade's tie rule)."""
    best = None
    for index, value in enumerate(scores):
        if eligible[index] and (best is None or value > scores[best]):
            best = index
    return best


def one_to_one(masked):
    from scipy.optimize import linear_sum_assignment  # a dependency of sentence-transformers

    rows, cols = linear_sum_assignment(masked, maximize=True)
    chosen = [None] * masked.shape[0]
    for row, col in zip(rows, cols):
        chosen[row] = int(col)
    return chosen


def score(record, variant_vectors, question_vector, segment_vectors, t):
    """The formula of src/score/mod.rs `score`, statuses and coverage only."""
    import numpy as np

    points = record["points"]
    segments = record["segments"]
    if not segments:
        return 0.0, [(point["id"], "missed", 0.0) for point in points]
    owners = [index for index, point in enumerate(points) for _ in point["variants"]]
    facts = [segment["facts"] for segment in segments]
    cosine = variant_vectors @ segment_vectors.T
    to_question = segment_vectors @ question_vector if question_vector is not None else None

    restated = [False] * len(segments)
    if to_question is not None:
        for index, fact in enumerate(facts):
            restated[index] = bool(
                to_question[index] >= t["restate_similarity"]
                and fact["novelty"] is not None
                and F32(fact["novelty"]) < t["restate_novelty"]
            )

    similarity = np.zeros((len(points), len(segments)), dtype=np.float32)
    lexical = t["lexical_weight"]
    if lexical > 0:
        segment_stems = [content_stems(segment["text"]) for segment in segments]
        variant_texts = [text for point in points for text in point["variants"]]
    for variant, owner in enumerate(owners):
        values = cosine[variant].copy()
        if lexical > 0:
            stems = content_stems(variant_texts[variant])
            overlap = np.array([stem_overlap(stems, s) for s in segment_stems], dtype=np.float32)
            values = (F32(1) - lexical) * values + lexical * overlap
        similarity[owner] = np.maximum(similarity[owner], values)

    if to_question is not None:
        to_points = similarity.max(axis=0)
        for index in range(len(segments)):
            if to_question[index] - to_points[index] >= t["restate_margin"]:
                restated[index] = True

    if question_vector is not None and t["question_margin"] > -1:
        floor = np.full(len(points), -np.inf, dtype=np.float32)
        question_match = variant_vectors @ question_vector
        for variant, owner in enumerate(owners):
            floor[owner] = max(floor[owner], question_match[variant])
        floor += t["question_margin"]
        similarity[similarity < floor[:, None]] = 0
    for index, fact in enumerate(facts):
        if restated[index]:
            similarity[:, index] = 0
        elif fact["keyword"]:
            similarity[:, index] *= t["keyword_penalty"]

    affirmative = [[not fact["negated"] or point.get("negated", False) for fact in facts]
                   for point in points]
    if t["match_mode"] == "best":
        chosen = [best_segment(similarity[p], affirmative[p]) for p in range(len(points))]
    else:
        chosen = one_to_one(np.where(np.array(affirmative), similarity, 0))

    results = []
    earned = total = 0.0
    for p, point in enumerate(points):
        affirmed = chosen[p]
        affirmed_score = similarity[p, affirmed] if affirmed is not None else F32(0)
        denied = best_segment(similarity[p], [not a for a in affirmative[p]])
        denied_score = similarity[p, denied] if denied is not None else None
        if denied_score is not None and denied_score >= t["partial"] and denied_score > affirmed_score:
            status, value, credit = "contradicted", denied_score, 0.0
        elif affirmed_score >= t["covered"]:
            status, value, credit = "covered", affirmed_score, 1.0
        elif affirmed_score >= t["partial"]:
            status, value, credit = "partial", affirmed_score, float(t["partial_credit"])
        else:
            status, value, credit = "missed", affirmed_score, 0.0
        results.append((point["id"], status, round(float(value), 4)))
        earned += point["weight"] * credit
        total += point["weight"]
    return earned / max(total, 1e-7), results


def main():
    parser = argparse.ArgumentParser(description="Grade `mockgrade segment` output with sentence-transformers.")
    parser.add_argument("--segments", required=True, help="output of `mockgrade segment`")
    parser.add_argument("--out", required=True, help="where to write per-record statuses (JSONL)")
    parser.add_argument("--model", default=str(ROOT / "models" / "all-MiniLM-L6-v2"))
    parser.add_argument("--thresholds", default=str(ROOT / "data" / "thresholds.toml"))
    parser.add_argument("--timings", help="where to write phase timings (JSON)")
    parser.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's)")
    parser.add_argument("--device", default="cpu", help="torch device for encoding (default: cpu)")
    args = parser.parse_args()

    global F32
    import numpy as np

    F32 = np.float32
    thresholds = load_thresholds(args.thresholds)
    if thresholds["match_mode"] not in ("best", "one-to-one"):
        sys.exit(f"peer_grader: unknown match_mode {thresholds['match_mode']!r}")
    if thresholds["match_mode"] == "one-to-one":
        try:
            import scipy.optimize  # noqa: F401
        except ImportError:
            print("peer_grader: match_mode is one-to-one and scipy is missing; skipping", file=sys.stderr)
            sys.exit(3)

    # transformers 4.44 warns about a tokenizer default that does not affect embeddings.
    warnings.filterwarnings("ignore", message=".*clean_up_tokenization_spaces.*")
    import torch
    from sentence_transformers import SentenceTransformer

    if args.threads:
        torch.set_num_threads(args.threads)
    imported = time.perf_counter()
    model = SentenceTransformer(args.model, device=args.device)
    loaded = time.perf_counter()

    with open(args.segments, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    # Each distinct rubric's texts once: point variants, then the question.
    rubric_rows = {}
    reference_texts = []
    for record in records:
        if record["question_id"] in rubric_rows:
            continue
        variants = [text for point in record["points"] for text in point["variants"]]
        start = len(reference_texts)
        reference_texts.extend(variants)
        if record["question"] is not None:
            reference_texts.append(record["question"])
        rubric_rows[record["question_id"]] = (start, len(variants), record["question"] is not None)
    segment_texts = [segment["text"] for record in records for segment in record["segments"]]
    read = time.perf_counter()

    reference_vectors = model.encode(reference_texts, normalize_embeddings=True, show_progress_bar=False)
    references_done = time.perf_counter()
    segment_vectors = model.encode(segment_texts, normalize_embeddings=True, show_progress_bar=False)
    if args.device != "cpu":
        torch.cuda.synchronize()
    segments_done = time.perf_counter()

    lines = []
    row = 0
    for record in records:
        start, count, has_question = rubric_rows[record["question_id"]]
        variant_vectors = reference_vectors[start:start + count]
        question_vector = reference_vectors[start + count] if has_question else None
        vectors = segment_vectors[row:row + len(record["segments"])]
        row += len(record["segments"])
        coverage, points = score(record, variant_vectors, question_vector, vectors, thresholds)
        lines.append(json.dumps({
            "id": record["id"],
            "question_id": record["question_id"],
            "coverage": round(coverage, 4),
            "points": [{"id": pid, "status": status, "similarity": sim} for pid, status, sim in points],
        }))
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    finished = time.perf_counter()

    if args.timings:
        timings = {
            "records": len(records),
            "segments": len(segment_texts),
            "distinct_segments": len(set(segment_texts)),
            "reference_texts": len(reference_texts),
            "threads": torch.get_num_threads(),
            "device": args.device,
            "torch": torch.__version__,
            "import_s": imported - STARTED,
            "model_load_s": loaded - imported,
            "read_s": read - loaded,
            "encode_references_s": references_done - read,
            "encode_segments_s": segments_done - references_done,
            "score_write_s": finished - segments_done,
            "total_s": finished - STARTED,
        }
        Path(args.timings).write_text(json.dumps(timings, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
