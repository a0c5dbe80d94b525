#!/usr/bin/env bash
# run.sh of the kit made by scripts/gpu-check: run it on the GPU machine, in the kit folder,
# with `bash run.sh`. Needs bash, coreutils and python3 (standard library only). It writes
# only inside the kit folder and exits non-zero at the first failed check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
kit=$PWD
# KIT_DEVICE=cpu runs every step on the CPU instead: a dry run of this script off the GPU.
dev=${KIT_DEVICE:-cuda}
# KIT_BIN=PATH runs another mockgrade binary (for that dry run: one built for this CPU).
bin=${KIT_BIN:-./mockgrade}
say() { printf '\n== %s\n' "$*"; }
fail() { printf 'run.sh: FAILED: %s\n' "$*" >&2; exit 1; }

say "files"
sha256sum --quiet -c SHA256SUMS || fail "a kit file does not match SHA256SUMS"
if [ ! -f model/model.safetensors ] || ! sha256sum --quiet -c model.sha256 2>/dev/null; then
  cat model/model.safetensors.part-* >model/model.safetensors
fi
sha256sum -c model.sha256 || fail "model.safetensors does not match its sha256"
cat BUILD-INFO

export MOCKGRADE_MODEL="$kit/model" XDG_CACHE_HOME="$kit/cache" XDG_DATA_HOME="$kit/data"
chmod +x mockgrade
if ldd "$bin" | grep -q 'not found'; then
  # The rpath baked in by gpu-check is not this machine's torch: ask python3's torch.
  torch_lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))') \
    || fail "libraries are missing (ldd mockgrade) and python3 cannot import torch"
  echo "using LD_LIBRARY_PATH=$torch_lib (the baked-in rpath does not resolve here)"
  export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  if ldd "$bin" | grep 'not found'; then fail "libraries are still missing"; fi
fi

say "doctor"
"$bin" doctor
"$bin" --device "$dev" doctor || fail "doctor --device $dev"

say "embedder parity: the published sentence-transformers vector, on $dev in fp32 and fp16"
"$bin" --no-cache --device cpu embed "This is an example sentence" >embed-cpu.json
"$bin" --no-cache --device "$dev" --precision fp32 embed "This is an example sentence" >embed-gpu-fp32.json
"$bin" --no-cache --device "$dev" --precision fp16 embed "This is an example sentence" >embed-gpu-fp16.json
python3 - <<'PY' || fail "embedder parity"
import json, math
published = [0.0677, 0.0635, 0.0487, 0.0793, 0.0374]  # as in tests/embedder.rs
load = lambda p: json.load(open(p))["embeddings"][0]
cpu = load("embed-cpu.json")
ok = True
for name, tol in (("gpu-fp32", 1e-4), ("gpu-fp16", 5e-3)):
    v = load("embed-%s.json" % name)
    worst = max(abs(a - b) for a, b in zip(v, published))
    cos = sum(a * b for a, b in zip(v, cpu)) / math.sqrt(sum(a * a for a in v) * sum(b * b for b in cpu))
    good = len(v) == 384 and worst < tol
    ok &= good
    print(f"{name}: dim {len(v)}, largest gap to the published values {worst:.2e} (limit {tol:g}), cosine to the CPU vector {cos:.6f}: {'ok' if good else 'FAIL'}")
raise SystemExit(0 if ok else 1)
PY

say "sentences/s (256 corpus sentences, one embed call each way; load time subtracted)"
mapfile -t sentences <sentences.txt
for run in "cpu cpu fp32" "gpu $dev fp32" "gpu $dev fp16"; do
  set -- $run
  t0=$(date +%s.%N); "$bin" --no-cache --device "$2" --precision "$3" embed "x" >/dev/null; t1=$(date +%s.%N)
  "$bin" --no-cache --device "$2" --precision "$3" embed -- "${sentences[@]}" >/dev/null; t2=$(date +%s.%N)
  python3 -c "import sys; a,b,c,n=map(float,sys.argv[1:]); print(f'$2 $3: {n:.0f} sentences in {c-b:.2f} s, {n/max(c-b-(b-a),1e-9):.0f} sentences/s after subtracting one 1-sentence run ({b-a:.2f} s)')" "$t0" "$t1" "$t2" "${#sentences[@]}"
done

say "grading corpus.jsonl ($(wc -l <corpus.jsonl) answers): cpu fp32, $dev fp32, $dev fp16"
for run in "cpu cpu fp32" "gpu $dev fp32" "gpu $dev fp16"; do
  set -- $run
  rm -rf "out-$1-$3"
  "$bin" --no-cache --device "$2" --precision "$3" batch corpus.jsonl --out "out-$1-$3" 2>&1 | tee "out-$1-$3.log" \
    || fail "batch on $2 $3"
done

say "point statuses against the CPU run"
python3 - <<'PY' || fail "point statuses differ"
import json
def load(d):
    rows = {}
    for line in open(d + "/results.jsonl"):
        r = json.loads(line)
        if "points" in r:
            rows[r["id"]] = [(p["id"], p["status"], p.get("similarity")) for p in r["points"]]
    return rows
cpu = load("out-cpu-fp32")
ok = True
for name, strict in (("gpu-fp32", True), ("gpu-fp16", False)):
    other = load("out-" + name)
    same = total = 0
    worst = 0.0
    for rid, points in cpu.items():
        for (pid, status, sim), (pid2, status2, sim2) in zip(points, other.get(rid, [])):
            total += 1
            same += status == status2 and pid == pid2
            if sim is not None and sim2 is not None:
                worst = max(worst, abs(sim - sim2))
    missing = len(cpu) - len(set(cpu) & set(other))
    print(f"{name}: {same} of {total} point statuses equal the CPU run's; largest similarity gap {worst:.4f}; answers missing {missing}")
    if strict and (same != total or missing):
        ok = False
raise SystemExit(0 if ok else 1)
PY
say "done: every check passed"
