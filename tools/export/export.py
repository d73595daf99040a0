#!/usr/bin/env python3
"""Export a CenterNet / CornerNet / CornerNet-Lite / CenterNet-Triplets / ExtremeNet / GridNeighbor network to ONNX for KeyDet.

  python3 tools/export/export.py --arch dla34 --task ctdet --checkpoint ctdet_coco_dla_2x.pth --out model.onnx
  python3 tools/export/export.py --arch saccade --task cornernet --checkpoint CornerNet_Saccade_500000.pkl \
      --out saccade.onnx      (255x255; corner heads + attention maps att0..att2)
  python3 tools/export/export.py --arch squeeze --task cornernet --checkpoint CornerNet_Squeeze_500000.pkl \
      --out squeeze.onnx      (511x511, output stride 8)

Without --checkpoint the weights are deterministic near-identity random weights (for tests).
After export the ONNX model is run with ONNX Runtime (Java 1.28 jar, or onnxruntime-node) on a random input
and compared with PyTorch eager; the exit status is non-zero when the relative difference exceeds --tol.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402

from keydet_export import registry  # noqa: E402
from keydet_export.checkpoint import load_into  # noqa: E402
from keydet_export.init import calibrate_heads_, near_identity_  # noqa: E402
from keydet_export import ops  # noqa: E402
from keydet_export import ortjar  # noqa: E402
from keydet_export import dextr  # noqa: E402
from keydet_export.ops import DEFORM_DOMAIN  # noqa: E402

OPSET_EXPORT = 17  # highest opset torch 1.13 exports
OPSET_FINAL = 19   # DeformConv is an ONNX op from opset 19


class _Ordered(torch.nn.Module):
    def __init__(self, model, names):
        super().__init__()
        self.model = model
        self.names = names

    def forward(self, x):
        out = self.model(x)
        out = {registry.RENAME.get(k, k): v for k, v in out.items()}
        return tuple(out[n] for n in self.names)


def finalize(path_in, path_out, meta):
    """DeformConv from the private domain to the ONNX domain, opset 19, KeyDet metadata."""
    m = onnx.load(path_in)
    n_deform = 0
    for node in m.graph.node:
        if node.domain == DEFORM_DOMAIN:
            node.domain = ""
            n_deform += 1
    imports = [o for o in m.opset_import if o.domain not in ("", DEFORM_DOMAIN)]
    del m.opset_import[:]
    m.opset_import.extend(imports + [onnx.helper.make_opsetid("", OPSET_FINAL)])
    m.ir_version = 9
    m.producer_name = "keydet-export"
    del m.metadata_props[:]
    for k, v in meta.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.save(m, path_out)
    return n_deform


def run_ort(runner, model_path, x, workdir, ort_jar=None, node_dir=None):
    inp = os.path.join(workdir, "input.npy")
    np.save(inp, x)
    outdir = os.path.join(workdir, "ort_out")
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    if runner == "java":
        cmd = ["java", "-cp", ort_jar, os.path.join(HERE, "OrtRun.java"), model_path, inp, outdir]
    else:
        cmd = ["node", os.path.join(HERE, "ort_run.mjs"), model_path, inp, outdir]
    env = dict(os.environ)
    if runner == "node" and node_dir:
        env["NODE_PATH"] = os.path.join(node_dir, "node_modules")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("ONNX Runtime run failed:\n" + p.stdout + p.stderr)
    version = [l.split()[1] for l in p.stdout.splitlines() if l.startswith("ort_version")]
    outs = {}
    for f in os.listdir(outdir):
        outs[f[:-4]] = np.load(os.path.join(outdir, f))
    return outs, (version[0] if version else "?")


def compare(ref, got):
    rows = []
    for name, r in ref.items():
        g = got[name]
        if g.shape != r.shape:
            raise SystemExit("shape mismatch for %s: torch %s onnx %s" % (name, r.shape, g.shape))
        d = float(np.abs(g.astype(np.float64) - r.astype(np.float64)).max())
        scale = float(np.abs(r).max())
        rows.append((name, d, d / scale if scale > 0 else d, scale))
    return rows


def parse_hw(s, task, tiny, arch=None):
    if s is None:
        return registry.default_input_size(task, tiny, arch)
    if "x" in s:
        h, w = s.lower().split("x")
        return int(h), int(w)
    return int(s), int(s)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", required=True, choices=registry.ARCHS)
    ap.add_argument("--task", choices=registry.TASKS, help="required except for --arch dextr (task dextr)")
    ap.add_argument("--checkpoint", help=".pth / .pkl (CenterNet, CornerNet(-Lite), CenterNet-Triplets, ExtremeNet)")
    ap.add_argument("--non-strict", action="store_true", help="load what matches, report the rest")
    ap.add_argument("--tiny", action="store_true", help="reduced width/depth test model (same module types)")
    ap.add_argument("--input-size", help="N or HxW (default 512, ddd 384x1280, tiny 64 / 64x128)")
    ap.add_argument("--num-classes", type=int, help="override the class count of the heatmap heads")
    ap.add_argument("--point-flags", default=",".join(str(f) for f in registry.DEFAULT_POINT_FLAGS),
                    help="gridneighbordet: the grid points (cells 0..8 of a row-major 3x3 grid over the box) the heads"
                         " regress, in channel order (upstream --point_flags, default %(default)s)")
    ap.add_argument("--labels", help="JSON file with a list of class names (default COCO-80 / person / KITTI)")
    ap.add_argument("--normalization", choices=["auto", "centernet", "cornernet", "imagenet"], default="auto",
                    help="mean/std written to the metadata (auto: by task and checkpoint layout)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runner", choices=["java", "node", "none"], default="java",
                    help="ONNX Runtime used for the check: java (the onnxruntime or onnxruntime_gpu jar the build resolved:"
                         " detector-examples/target/lib/ or ~/.m2), node (onnxruntime-node), none")
    ap.add_argument("--ort-jar", help="path of the onnxruntime jar (java runner)")
    ap.add_argument("--node-dir", help="directory whose node_modules holds onnxruntime-node (node runner)")
    ap.add_argument("--batch", type=int, default=1, help="batch size of the verification input")
    ap.add_argument("--dynamic-hw", action="store_true",
                    help="dynamic H and W (for KeyDet's PAD mode, sizes multiple of pad_multiple); "
                         "the check runs at a size different from the export size")
    ap.add_argument("--max-input-size", type=int, default=2048,
                    help="with --dynamic-hw: largest input side the corner-pool scans cover")
    ap.add_argument("--input-npy", help="float32 NCHW input for the check instead of a random one")
    ap.add_argument("--calibration-npy", help="random weights: float32 NCHW input on which the heads are calibrated"
                                              " (default a random one), e.g. the preprocessed test image")
    ap.add_argument("--tol", type=float, default=1e-4, help="max relative difference (to max |output| per head)")
    ap.add_argument("--save-reference", metavar="PREFIX",
                    help="write PREFIX.input.npy and PREFIX.<head>.npy (PyTorch outputs) for tests")
    ap.add_argument("--json", help="append a JSON line with the comparison to this file")
    a = ap.parse_args(argv)
    if a.arch == "dextr" or a.task == "dextr":
        a.task = a.arch = "dextr"
    elif a.task is None:
        ap.error("--task is required for --arch %s" % a.arch)

    # the jar for the check is looked up before the export, so a missing one costs nothing
    jar = None
    if a.runner == "java":
        jar = a.ort_jar or ortjar.find_ort_jar()
        if not jar or not os.path.isfile(jar):
            raise SystemExit(("--ort-jar %s is not a file" % a.ort_jar) if a.ort_jar else ortjar.missing_message())
        print("ONNX Runtime jar for the check: %s" % jar)

    torch.manual_seed(a.seed)
    hw = parse_hw(a.input_size, a.task, a.tiny, a.arch)
    flags = registry.parse_point_flags(a.point_flags)
    if a.task != "gridneighbordet" and flags != registry.DEFAULT_POINT_FLAGS:
        ap.error("--point-flags is for --task gridneighbordet")
    model, names = registry.build(a.arch, a.task, tiny=a.tiny, num_classes=a.num_classes, point_flags=flags)
    layout = None
    if a.checkpoint:
        layout = load_into(model, a.checkpoint, a.task, strict=not a.non_strict)
    elif a.task == "dextr":
        dextr.init_random_(model, seed=a.seed)
    else:
        near_identity_(model, seed=a.seed)
        cal = torch.from_numpy(np.load(a.calibration_npy).astype(np.float32)) if a.calibration_npy else None
        calibrate_heads_(model, hw, registry.RENAME, seed=a.seed, x=cal)
    model.eval()
    labels = json.load(open(a.labels)) if a.labels else None
    if labels is None and a.num_classes and a.task in ("ctdet", "exdet", "cornernet", "triplets", "gridneighbordet"):
        labels = ["class%d" % i for i in range(a.num_classes)]
    norm = a.normalization
    if norm == "auto":
        # ExtremeNet's own repo trains with CornerNet's COCO mean/std; CenterNet's exdet with CenterNet's
        norm = "cornernet" if (a.task in ("cornernet", "triplets") or layout == "extremenet") else "centernet"
        if a.task == "ddd":
            norm = "imagenet"
    meta = registry.metadata(a.arch, a.task, hw, labels, norm, point_flags=flags)
    if a.dynamic_hw:
        meta["keydet.resize"] = "PAD"
        ops.SCAN_LENGTH = a.max_input_size // 4
    wrapped = _Ordered(model, names).eval()
    nparams = sum(p.numel() for p in model.parameters())
    print("%s/%s: %.2fM parameters, input %dx%d, outputs %s" % (a.arch, a.task, nparams / 1e6, hw[0], hw[1], names))

    work = tempfile.mkdtemp(prefix="keydet_export_")
    try:
        cin = registry.input_channels(a.task)
        dummy = torch.zeros(1, cin, hw[0], hw[1])
        raw = os.path.join(work, "raw.onnx")
        t0 = time.time()
        if a.dynamic_hw:
            dyn = {"input": {0: "N", 2: "H", 3: "W"}}
            dyn.update({n: {0: "N", 2: "h", 3: "w"} for n in names})
        else:
            dyn = {"input": {0: "N"}}
            dyn.update({n: {0: "N"} for n in names})
        with torch.no_grad():
            torch.onnx.export(wrapped, dummy, raw, opset_version=OPSET_EXPORT, input_names=["input"],
                              output_names=names, dynamic_axes=dyn, do_constant_folding=True,
                              custom_opsets={DEFORM_DOMAIN: 1})
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        nd = finalize(raw, a.out, meta)
        print("exported %s in %.1fs (%d DeformConv nodes, %.1f MB)"
              % (a.out, time.time() - t0, nd, os.path.getsize(a.out) / 1e6))

        if a.input_npy:
            x = torch.from_numpy(np.load(a.input_npy).astype(np.float32))
        else:
            g = torch.Generator().manual_seed(a.seed + 1)
            chw = hw
            if a.dynamic_hw:  # check another size than the export size
                m = int(meta["keydet.pad_multiple"])
                chw = (max(m, hw[0] - m), hw[1] + m)
                print("dynamic H/W: checking at %dx%d" % chw)
            if a.task == "dextr":  # RGB + heat map, raw 0..255 like DEXTR's inputs
                x = torch.rand(a.batch, cin, chw[0], chw[1], generator=g) * 255
            else:
                x = torch.randn(a.batch, cin, chw[0], chw[1], generator=g)
        with torch.no_grad():
            ref = {n: t.numpy() for n, t in zip(names, wrapped(x))}
        if a.save_reference:
            os.makedirs(os.path.dirname(os.path.abspath(a.save_reference)), exist_ok=True)
            np.save(a.save_reference + ".input.npy", x.numpy())
            for n, v in ref.items():
                np.save("%s.%s.npy" % (a.save_reference, n), v.astype(np.float32))
        if a.runner == "none":
            return 0
        t0 = time.time()
        got, ver = run_ort(a.runner, os.path.abspath(a.out), x.numpy(), work, jar, a.node_dir)
        print("ONNX Runtime %s (%s) ran in %.1fs" % (ver, a.runner, time.time() - t0))
        rows = compare(ref, got)
        worst = max(r[2] for r in rows)
        for name, d, rel, scale in rows:
            print("  %-10s max|torch| %10.4g  max abs diff %.3g  max rel %.3g" % (name, scale, d, rel))
        print("RESULT %s %s max_abs %.3g max_rel %.3g %s" % (a.arch, a.task, max(r[1] for r in rows), worst,
                                                            "OK" if worst <= a.tol else "FAIL"))
        if a.json:
            with open(a.json, "a") as f:
                f.write(json.dumps({"arch": a.arch, "task": a.task, "tiny": a.tiny, "input": hw, "ort": ver,
                                    "params": nparams, "heads": {r[0]: {"max_abs": r[1], "max_rel": r[2]}
                                                                 for r in rows},
                                    "max_abs": max(r[1] for r in rows), "max_rel": worst}) + "\n")
        return 0 if worst <= a.tol else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
