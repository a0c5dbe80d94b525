#!/usr/bin/env python3
# The Python peer of mockgrade: a straightforward reference grader that embeds with
# sentence-transformers and applies mockgrade's scoring (src/score/evidence/ and
# decision.rs) with the scorer of data/scorer.toml. scripts/bench-peer runs it in the venv
# it builds.
#
# It reads the output of `mockgrade segment INPUT` (segments, their embedding-free facts,
# the negation scope of each point over each segment, the point variants and the question
# text of each record), so both graders score the same segments; segmentation and negation
# scope are mockgrade's and are not timed here.
#
# Usage: peer_grader.py --segments SEGMENTS.jsonl --out STATUSES.jsonl
#                       [--model DIR] [--scorer FILE] [--timings FILE] [--threads N]
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

# Copied from src/score/cues.rs.
STOPWORDS = set(
    "the and for with that this from into onto are was were been being have has had will "
    "would should could can may might must shall our your their its they them you what when "
    "which who how why where also then than such like some any all each more most very just "
    "over about make use using used do does did not but".split()
)
F32 = None  # numpy.float32, set once numpy is imported


def content_stems(text):
    """src/score/cues.rs content_stems: first five letters of each non-stopword of 3+ letters."""
    words = [w.replace("\u2019", "'").lower() for w in re.split(r"[^\w'\u2019]|_", text) if w]
    return {w[:5] for w in words if len(w) >= 3 and w not in STOPWORDS}


def stem_overlap(reference, candidate):
    if not reference:
        return 0.0
    return len(reference & candidate) / len(reference)


def load_scorer(path):
    """The scorer file of src/score/settings.rs: cut-offs, match mode and the layer."""
    with open(path, "rb") as handle:
        table = tomllib.load(handle)
    thresholds = table["thresholds"]
    scorer = {name: F32(thresholds[name]) for name in
              ["covered", "partial", "partial_credit", "contradicted_similarity",
               "restate_similarity", "restate_novelty"]}
    scorer["match_mode"] = thresholds["match_mode"]
    layer = table["layer"]
    if layer["features"] != FEATURES:
        sys.exit(f"peer_grader: {path} was fitted on other features; this peer computes {FEATURES}")
    import numpy as np

    for name in ["mean", "scale", "weights"]:
        scorer[name] = np.array(layer[name], dtype=np.float32)
    scorer["bias"] = F32(layer["bias"])
    return scorer


# src/score/evidence/ FEATURES, in order.
FEATURES = ["cos_text", "cos_alias", "segment_to_question", "echo_of_question",
            "overlap_text", "overlap_alias", "denied_elsewhere", "keyword_fragment", "novelty",
            "margin_over_point_question", "denial_share", "margin_over_other_points"]

# src/score/evidence/mod.rs CLEAR_MARGIN: the cap of margin_over_other_points.
CLEAR_MARGIN = 0.25
# src/score/evidence/mod.rs ASSIGNMENT_FLOOR: below this cosine a segment is no evidence for
# a point, so one-to-one assignment scores each pair as max(similarity - floor, 0).
ASSIGNMENT_FLOOR = 0.3
# src/score/decision/mod.rs CONTRADICTION_SHARE and RETRACTION_GAP.
CONTRADICTION_SHARE = 0.5
RETRACTION_GAP = 0.1


def probability(features, s):
    """src/score/layer.rs DecisionLayer::probability, in f32 and summed in order as Rust does."""
    import numpy as np

    terms = (np.asarray(features, dtype=np.float32) - s["mean"]) / s["scale"] * s["weights"]
    logit = F32(0.0)
    for term in terms:
        logit = F32(logit + term)
    logit = F32(logit + s["bias"])
    with np.errstate(over="ignore"):
        return F32(F32(1.0) / (F32(1.0) + np.exp(-logit)))


def one_to_one(scores):
    """src/score/assign.rs assign_max, step for step (the Hungarian method on f64 costs):
    for each row (point) the column (segment) it gets, or None."""
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    if rows == 0 or cols == 0:
        return [None] * rows
    size = max(rows, cols)

    def cost(row, col):
        return -float(scores[row][col]) if row < rows and col < cols else 0.0

    inf = float("inf")
    row_potential = [0.0] * (size + 1)
    col_potential = [0.0] * (size + 1)
    row_of_col = [0] * (size + 1)
    way = [0] * (size + 1)
    for row in range(1, size + 1):
        row_of_col[0] = row
        current_col = 0
        min_slack = [inf] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[current_col] = True
            current_row = row_of_col[current_col]
            delta, next_col = inf, 0
            for col in range(1, size + 1):
                if used[col]:
                    continue
                slack = cost(current_row - 1, col - 1) - row_potential[current_row] - col_potential[col]
                if slack < min_slack[col]:
                    min_slack[col] = slack
                    way[col] = current_col
                if min_slack[col] < delta:
                    delta, next_col = min_slack[col], col
            for col in range(size + 1):
                if used[col]:
                    row_potential[row_of_col[col]] += delta
                    col_potential[col] -= delta
                else:
                    min_slack[col] -= delta
            current_col = next_col
            if row_of_col[current_col] == 0:
                break
        while True:
            previous = way[current_col]
            row_of_col[current_col] = row_of_col[previous]
            current_col = previous
            if current_col == 0:
                break
    assignment = [None] * rows
    for col in range(1, size + 1):
        row = row_of_col[col]
        if 1 <= row <= rows and col <= cols:
            assignment[row - 1] = col - 1
    return assignment


def score(record, variant_vectors, question_vector, segment_vectors, s):
    """src/score/evidence/ gather + src/score/decision/mod.rs decide: statuses and coverage."""
    import numpy as np

    points = record["points"]
    segments = record["segments"]
    if not segments:
        return 0.0, [(point["id"], "missed", 0.0) for point in points]
    facts = [segment["facts"] for segment in segments]
    denial = np.array(record["denial"], dtype=np.float32)
    cosine = variant_vectors @ segment_vectors.T
    n_points, n_segments = len(points), len(segments)
    cos_text = np.zeros((n_points, n_segments), dtype=np.float32)
    cos_alias = np.zeros_like(cos_text)
    overlap_text = np.zeros_like(cos_text)
    overlap_alias = np.zeros_like(cos_text)
    segment_stems = [content_stems(segment["text"]) for segment in segments]
    point_to_question = [None] * n_points
    row = 0
    for p, point in enumerate(points):
        count = len(point["variants"])
        cos_text[p] = cosine[row]
        cos_alias[p] = cosine[row + 1:row + count].max(axis=0) if count > 1 else cosine[row]
        text_stems = content_stems(point["variants"][0])
        alias_stems = [content_stems(alias) for alias in point["variants"][1:]]
        for k in range(n_segments):
            overlap_text[p, k] = stem_overlap(text_stems, segment_stems[k])
            overlap_alias[p, k] = (max(stem_overlap(a, segment_stems[k]) for a in alias_stems)
                                   if alias_stems else overlap_text[p, k])
        if question_vector is not None:
            point_to_question[p] = float((variant_vectors[row:row + count] @ question_vector).max())
        row += count
    similarity = np.maximum(cos_text, cos_alias)
    denies = denial > 0.5
    to_question = segment_vectors @ question_vector if question_vector is not None else None

    sentences = [k for k, segment in enumerate(segments) if segment["kind"] == "sentence"]

    def best(p, denying):
        chosen = None
        for k in range(n_segments):
            if bool(denies[p, k]) == denying and (chosen is None or similarity[p, k] > similarity[p, chosen]):
                chosen = k
        return chosen

    if s["match_mode"] == "best":
        affirming = [best(p, False) for p in range(n_points)]
    else:
        # src/score/evidence/mod.rs gather: a denying segment scores 0, any other the excess
        # of its similarity over ASSIGNMENT_FLOOR; a point keeps its segment only when that
        # score is positive.
        masked = np.where(denies, F32(0.0),
                          np.maximum(similarity - F32(ASSIGNMENT_FLOOR), F32(0.0))).astype(np.float32)
        affirming = [k if k is not None and masked[p, k] > 0 else None
                     for p, k in enumerate(one_to_one(masked))]

    def margin_over_other_points(p, k):
        """src/score/evidence/measures.rs Grid::margin_over_other_points, capped at CLEAR_MARGIN:
        other points count as no lower than ASSIGNMENT_FLOOR (so a rubric of one point
        measures the lead over the floor)."""
        best_other = F32(ASSIGNMENT_FLOOR)
        for q in range(n_points):
            if q != p:
                best_other = max(best_other, similarity[q, k])
        return min(F32(similarity[p, k] - best_other), F32(CLEAR_MARGIN))

    def features(p, k, denied_elsewhere):
        sim = similarity[p, k]
        question = to_question[k] if to_question is not None else F32(0.0)
        novelty = facts[k]["novelty"]
        # echo_of_question: how much more the segment echoes the question than the point.
        return [cos_text[p, k], cos_alias[p, k], question, max(F32(question - sim), F32(0.0)),
                overlap_text[p, k], overlap_alias[p, k], denied_elsewhere,
                1.0 if facts[k]["keyword"] else 0.0, 1.0 if novelty is None else novelty,
                F32(sim - F32(point_to_question[p] or 0.0)), denial[p, k],
                margin_over_other_points(p, k)]

    def as_affirmed(candidate_features):
        affirmed = list(candidate_features)
        affirmed[FEATURES.index("denial_share")] = 0.0
        affirmed[FEATURES.index("denied_elsewhere")] = 0.0
        return affirmed

    substantive = [segments[k]["sentence"] for k in sentences if facts[k]["substantive"]]
    restating = [segments[k]["sentence"] for k in sentences
                 if to_question is not None and to_question[k] >= s["restate_similarity"]
                 and facts[k]["novelty"] is not None and F32(facts[k]["novelty"]) < s["restate_novelty"]]
    only_restates = bool(substantive) and all(x in restating for x in substantive)

    results = []
    earned = total = 0.0
    for p, point in enumerate(points):
        denying = best(p, True)
        denied_similarity = float(similarity[p, denying]) if denying is not None else 0.0
        a = affirming[p]
        a_features = (features(p, a, max(F32(F32(denied_similarity) - similarity[p, a]), F32(0.0)))
                      if a is not None else None)
        d_features = features(p, denying, 0.0) if denying is not None else None
        a_p = probability(a_features, s) if a is not None else None
        d_p = probability(d_features, s) if denying is not None else None
        # src/score/decision/mod.rs: a refusal (a denial in a sentence that speaks as the
        # candidate) never earns credit.
        creditable_d_p = None if d_p is None or segments[denying]["speaks_as_candidate"] else d_p
        if a_p is not None and creditable_d_p is not None and creditable_d_p > a_p:
            best_k, best_p = denying, creditable_d_p
        elif a_p is not None:
            best_k, best_p = a, a_p
        elif creditable_d_p is not None:
            best_k, best_p = denying, creditable_d_p
        else:
            best_k, best_p = None, 0.0
        contradicted = False
        if d_p is not None:
            affirmed_p = probability(as_affirmed(d_features), s)
            # src/score/decision/mod.rs: a later denial that withdraws an earlier affirmation (its
            # sentence comes after, it is about as close to the point, and its words,
            # affirmed, would earn partial credit) ...
            retracted = (a is not None
                         and segments[denying]["sentence"] > segments[a]["sentence"]
                         and similarity[p, denying] >= F32(similarity[p, a] - F32(RETRACTION_GAP))
                         and affirmed_p >= s["partial"])
            # ... or the closest match that is near the point or halfway to partial credit
            # if affirmed.
            contradicted = retracted or (
                best_p < s["covered"]
                and (a is None or similarity[p, denying] > similarity[p, a])
                and (similarity[p, denying] >= s["contradicted_similarity"]
                     or affirmed_p >= F32(F32(CONTRADICTION_SHARE) * s["partial"])))
        if contradicted:
            status, value, credit = "contradicted", float(similarity[p, denying]), 0.0
        elif only_restates:
            status, value, credit = "missed", float(similarity[p, best_k]) if best_k is not None else 0.0, 0.0
        elif best_p >= s["covered"]:
            status, value, credit = "covered", float(similarity[p, best_k]), 1.0
        elif best_p >= s["partial"]:
            status, value, credit = "partial", float(similarity[p, best_k]), float(s["partial_credit"])
        else:
            status, value, credit = "missed", float(similarity[p, best_k]) if best_k is not None else 0.0, 0.0
        results.append((point["id"], status, round(value, 4)))
        earned += point["weight"] * credit
        total += point["weight"]
    return earned / max(total, 1e-7), results


def main():
    parser = argparse.ArgumentParser(description="Grade `mockgrade segment` output with sentence-transformers.")
    parser.add_argument("--segments", required=True, help="output of `mockgrade segment`")
    parser.add_argument("--out", required=True, help="where to write per-record statuses (JSONL)")
    parser.add_argument("--model", default=str(ROOT / "models" / "all-MiniLM-L6-v2"))
    parser.add_argument("--scorer", default=str(ROOT / "data" / "scorer.toml"))
    parser.add_argument("--timings", help="where to write phase timings (JSON)")
    parser.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's)")
    parser.add_argument("--device", default="cpu", help="torch device for encoding (default: cpu)")
    args = parser.parse_args()

    global F32
    import numpy as np

    F32 = np.float32
    thresholds = load_scorer(args.scorer)
    if thresholds["match_mode"] not in ("best", "one-to-one"):
        sys.exit(f"peer_grader: unknown match_mode {thresholds['match_mode']!r}")

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
