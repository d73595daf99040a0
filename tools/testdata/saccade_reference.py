#!/usr/bin/env python3
"""Reference run of CornerNet-Saccade's test procedure for the SDK's Saccade pipeline, on a tiny random-weight
model, and the model itself.

The procedure is written here from princeton-vl/CornerNet-Lite core/test/cornernet_saccade.py
(``cornernet_saccade_inference`` with configs/CornerNet_Saccade.json and the defaults of core/dbs/detection.py):

 1. the image (BGR, /255) is downsized to longest side 192 and 255 (``init_sizes``), each centred in a 255x255
    canvas of zeros (``crop_image_gpu``: bilinear, align_corners False), normalised with the COCO mean/std;
 2. one network run on both: corner detections (``_decode``: top_k 12, kernel 3, ae_threshold 0.3, num_dets 12,
    no_border: pairs with a corner on the map border are rejected, the "border-cut" boxes) and the three
    attention maps (sigmoid, 3x3 peak NMS); attention peaks above att_threshold 0.3 become locations
    (y, x in image pixels, scale = att_scale (1, 2, 4 for the maps of strides 16, 8, 4) x the run's scale,
    skipped when the run's scale > 2 or the new scale > 4); detections scored above 0.3 are kept, mapped to image
    pixels (x 255/64, / scale, + the canvas offset), and those above 0.5 add locations of their own (centre, scale
    192, 64 or 24 over the longer side for sides > 96, > 32, <= 32, score 1);
 3. location NMS (threshold 16 / scale on min(|dy|, |dx|), scale ratio within [0.8, 1.2] counts as the same) in
    score order; at most att_max_crops 30 locations;
 4. a 255x255 crop of the image around each location at its scale (int(255 / scale) image pixels), detections in
    each (the same settings, every valid pair kept) mapped back;
 5. per class Gaussian soft-NMS (sigma 0.7, Nt 0.5, threshold 0.001) of all detections, then the best 100 of the
    image (``max_per_image``; ties at the cut kept).

The network runs in PyTorch eager here (the tiny model of keydet_export with export.py's seed-0 weights, written
to ONNX by export.py for the Java test). Then the UPSTREAM functions are run on the same input and network: the
snapshot's core/test/cornernet_saccade.py and core/models/py_utils/utils.py imported from a temporary copy, on
CPU (torch.cuda.FloatTensor and Tensor.cuda patched to CPU tensors), with a stand-in db (its configs) and nnet
(saccade_net._test's ten lines: the model, upstream _decode, sigmoid on the attention maps); the soft-NMS is
upstream's compiled core/external/nms.pyx when --upstream-nms names a directory holding it (built by hand; this
repository ships neither it nor a recipe), otherwise this script's own. The two runs must agree.

The script also checks margins that a float32 runtime's rounding could cross (attention and score thresholds,
top-K boundaries, tag distances): none is within 1e-4, so ONNX Runtime in Java selects the same.

Usage (repository root):
  /usr/bin/python3 tools/testdata/saccade_reference.py [--upstream GIT_DIR] [--upstream-nms DIR]
Writes detector-onnx/src/test/resources/saccade/{saccade_tiny.onnx, image.png, expected.json},
detector-onnx/src/test/resources/bad/saccade_{missing_att2,extra_att3,static_batch}.onnx (graph-only misfits) and
detector-core/src/test/resources/saccade/argsort.json (tie-heavy arrays with numpy's default argsort of each, for
the SDK's port of that sort).
"""
import argparse
import contextlib
import importlib
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import types

import numpy as np
import torch
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tools", "export"))

import export  # noqa: E402
from keydet_export import registry  # noqa: E402
from keydet_export.init import calibrate_heads_, near_identity_  # noqa: E402

OUT = os.path.join(ROOT, "detector-onnx", "src", "test", "resources", "saccade")
F32 = np.float32
MEAN = np.array(registry.CORNERNET_MEAN, F32)
STD = np.array(registry.CORNERNET_STD, F32)
CONFIG = {  # configs/CornerNet_Saccade.json over core/dbs/detection.py's defaults
    "input_size": [255, 255], "output_sizes": [[64, 64]], "init_sizes": [192, 255], "ref_dets": True,
    "att_thresholds": [0.3], "att_scales": [[1, 2, 4]], "att_max_crops": 30, "att_ranges": [[96, 256], [32, 96],
                                                                                           [0, 32]],
    "att_ratios": [16, 8, 4], "att_nms_ks": [3, 3, 3], "top_k": 12, "num_dets": 12, "ae_threshold": 0.3,
    "nms_kernel": 3, "nms_threshold": 0.5, "nms_algorithm": "exp_soft_nms", "max_per_image": 100,
    "categories": 1,  # the tiny model's classes (80 in the config): random corners of 80 classes hardly ever pair
}
MARGIN = 1e-4


# ------------------------------------------------------------------------------------------------ this procedure
def bilinear(img, out_h, out_w):
    """img [C, H, W] float64 -> [C, out_h, out_w]: half-pixel centres, source clamped at 0 (torch bilinear)."""
    c, h, w = img.shape

    def axis(n_in, n_out):
        s = n_in / n_out
        src = np.maximum((np.arange(n_out) + 0.5) * s - 0.5, 0.0)
        i0 = np.floor(src).astype(np.int64)
        i0 = np.minimum(i0, n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, src - i0

    y0, y1, ly = axis(h, out_h)
    x0, x1, lx = axis(w, out_w)
    top = img[:, y0][:, :, x0] * (1 - lx) + img[:, y0][:, :, x1] * lx
    bot = img[:, y1][:, :, x0] * (1 - lx) + img[:, y1][:, :, x1] * lx
    return top * (1 - ly)[None, :, None] + bot * ly[None, :, None]


def crop(image, cty, ctx, height, width, out):
    """One canvas: the image window of height x width around (cty, ctx) resized into out [3, 255, 255]."""
    o_h, o_w = out.shape[1:3]
    im_h, im_w = image.shape[1:3]
    scale = o_h / max(height, width)
    x0, x1 = max(0, ctx - width // 2), min(ctx + width // 2, im_w)
    y0, y1 = max(0, cty - height // 2), min(cty + height // 2, im_h)
    oy0, oy1 = o_h // 2 - int((cty - y0) * scale), o_h // 2 + int((y1 - cty) * scale)
    ox0, ox1 = o_w // 2 - int((ctx - x0) * scale), o_w // 2 + int((x1 - ctx) * scale)
    out[:, oy0:oy1, ox0:ox1] = bilinear(image[:, y0:y1, x0:x1], oy1 - oy0, ox1 - ox0).astype(F32)
    return np.array([cty - height // 2, ctx - width // 2], F32)


def canvases(image, locs):
    """[N, 3, 255, 255] normalised canvases and their offsets for locations (y, x, scale, ...)."""
    n = len(locs)
    imgs = np.zeros((n, 3, 255, 255), F32)
    offs = np.zeros((n, 2), F32)
    for i, (y, x, s) in enumerate(locs[:, :3]):
        offs[i] = crop(image, int(y), int(x), int(255 / s), int(255 / s), imgs[i])
    imgs = ((imgs - MEAN.reshape(1, 3, 1, 1)) / STD.reshape(1, 3, 1, 1)).astype(F32)
    return imgs, offs


class Net:
    """The network and the decode of saccade_net._test; records the values whose margins are checked."""

    def __init__(self, model, decode):
        self.model, self.decode, self.margins = model, decode, []

    def run(self, imgs, no_att):
        with torch.no_grad():
            out = self.model(torch.from_numpy(imgs))
            heads = [out[n] for n in registry.CORNER_OUTPUTS]
            dets = self.decode(*heads, K=12, kernel=3, ae_threshold=0.3, num_dets=12, no_border=True)
            self.record(heads, dets)
            if no_att:
                return dets.numpy(), None
            atts = [torch.sigmoid(out[n]) for n in registry.SACCADE_ATTENTION]
        for a in atts:
            self.margins.append(("attention", float(torch.min(torch.abs(a - 0.3)))))
        return dets.numpy(), [peak_nms(a.numpy()) for a in atts]

    def record(self, heads, dets):
        for h in heads[:2]:
            p = torch.sigmoid(h)
            peak = torch.nn.functional.max_pool2d(p, 3, stride=1, padding=1) == p
            s = torch.where(peak, h, torch.full_like(h, -1e9)).view(h.shape[0], -1)  # logits of the peaks
            top = torch.topk(s, 13, dim=1)[0]
            self.margins.append(("top-K logit gap", float(torch.min(top[:, 11] - top[:, 12]))))
        sc = dets[..., 4]
        valid = sc[sc > -1]
        for t in (0.3, 0.5):
            if valid.numel():
                self.margins.append(("score vs %g" % t, float(torch.min(torch.abs(valid - t)))))


def peak_nms(att):
    """3x3 max-pool peak NMS (att_nms): non-peaks become 0."""
    n, c, h, w = att.shape
    p = np.full((n, c, h + 2, w + 2), -np.inf, F32)
    p[:, :, 1:-1, 1:-1] = att
    m = np.max(np.stack([p[:, :, dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)]), axis=0)
    return att * (m == att)


def map_back(dets, scales, offs):
    """Output cells -> image pixels, in place: x 255/64, / scale, + offset (rescale_dets_, remap_dets_)."""
    r = F32(64 / 255)
    dets[..., 0:4:2] /= r
    dets[..., 1:4:2] /= r
    dets[..., 0:4:2] /= scales.reshape(-1, 1, 1)
    dets[..., 1:4:2] /= scales.reshape(-1, 1, 1)
    dets[..., 0:4:2] += offs[:, 1][:, None, None]
    dets[..., 1:4:2] += offs[:, 0][:, None, None]


def att_locations(atts, att_scales, scales, offs, height, width, ignore_same):
    rows = []
    for a in range(atts[0].shape[0]):
        for att, ratio, att_scale in zip(atts, CONFIG["att_ratios"], att_scales):
            ys, xs = np.nonzero(att[a, 0] > 0.3)
            sc = att[a, 0, ys, xs]
            ys = ys * ratio / scales[a] + offs[a, 0]
            xs = xs * ratio / scales[a] + offs[a, 1]
            keep = (ys >= 0) & (ys < height) & (xs >= 0) & (xs < width)
            nxt = att_scale * scales[a]
            if (ignore_same and att_scale <= 1) or scales[a] > 2 or nxt > 4:
                continue
            rows += [(y, x, nxt, s) for y, x, s in zip(ys[keep], xs[keep], sc[keep])]
    return np.array(rows, np.float64).reshape(-1, 4)


def det_locations(dets):
    d = dets[dets[:, 4] > 0.5]
    side = np.maximum(d[:, 2] - d[:, 0], d[:, 3] - d[:, 1])
    scale = np.where(side > 96, 192 / side, np.where(side > 32, 64 / side, 24 / side))
    return np.stack(((d[:, 1] + d[:, 3]) / 2, (d[:, 0] + d[:, 2]) / 2, scale, np.ones(len(d))), 1).reshape(-1, 4)


def location_nms(locs, thresh=16):
    """Best score first in the order of numpy's default (introsort) argsort reversed, as the test code sorts: equal
    scores (every location from a detection has score 1) come in that algorithm's order, which the SDK reproduces;
    drops the locations within thresh / scale (on the smaller of |dy|, |dx|) whose scale ratio to the kept one is
    within [0.8, 1.2]."""
    locs = locs[np.argsort(locs[:, -1], kind="quicksort")[::-1]]
    out = []
    alive = np.ones(len(locs), bool)
    for i in range(len(locs)):
        if not alive[i]:
            continue
        out.append(locs[i])
        dist = np.minimum(np.abs(locs[:, 0] - locs[i, 0]), np.abs(locs[:, 1] - locs[i, 1]))
        ratio = locs[i, 2] / locs[:, 2]
        alive &= (dist > thresh / locs[i, 2]) | (ratio > 1.2) | (ratio < 0.8)
    return np.stack(out) if out else np.zeros((0, 4))


def argsort_cases(rng):
    """Arrays with many ties and numpy's default argsort of each, for the SDK's port of that sort."""
    cases = []
    for n in list(range(0, 40)) + [50, 64, 100, 129, 200, 500]:
        v = rng.integers(0, max(1, n // 4 + 1), n).astype(np.float64) / 2 if n % 3 else rng.random(n)
        if n % 5 == 0 and n:
            v[rng.integers(0, n, n // 3 + 1)] = 1.0
        cases.append({"values": v.tolist(), "argsort": np.argsort(v, kind="quicksort").tolist()})
    return cases


def attention_misfits(out_dir):
    """Graph-only CORNERNET_SACCADE models (no weights) that do not fit: att2 missing, an extra att3, and a batch
    fixed at 1 (the search runs several canvases at once). Input [N, 3, 32, 32]; every head a slice of a 4x4
    average pool."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    for name, atts, batch in (("saccade_missing_att2", ["att0", "att1"], "N"),
                              ("saccade_extra_att3", ["att0", "att1", "att2", "att3"], "N"),
                              ("saccade_static_batch", ["att0", "att1", "att2"], 1)):
        inits = [numpy_helper.from_array(np.array([v], np.int64), n) for n, v in (("s0", 0), ("s1", 1), ("s2", 2),
                                                                                   ("ax", 1))]
        nodes = [helper.make_node("AveragePool", ["input"], ["pooled"], kernel_shape=[4, 4], strides=[4, 4])]
        nodes.append(helper.make_node("Slice", ["pooled", "s0", "s1", "ax"], ["one"]))
        nodes.append(helper.make_node("Slice", ["pooled", "s0", "s2", "ax"], ["two"]))
        outs = []
        for head, src, c in [("tl_heat", "one", 1), ("br_heat", "one", 1), ("tl_tag", "one", 1), ("br_tag", "one", 1),
                             ("tl_regr", "two", 2), ("br_regr", "two", 2)] + [(a, "one", 1) for a in atts]:
            nodes.append(helper.make_node("Identity", [src], [head]))
            outs.append(helper.make_tensor_value_info(head, TensorProto.FLOAT, [batch, c, 8, 8]))
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                                                               [batch, 3, 32, 32])], outs, inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="keydet-tests")
        model.ir_version = 8
        helper.set_model_props(model, {"keydet.family": "CORNERNET_SACCADE", "keydet.input_width": "32",
                                       "keydet.input_height": "32", "keydet.heatmaps": "LOGITS",
                                       "keydet.labels": '["thing"]'})
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(out_dir, name + ".onnx"))


def soft_nms_gaussian(boxes, sigma=0.7, threshold=0.001, plus_one=True):
    """Fast R-CNN's soft_nms, method 2, on [N, >=5] float32 rows in place, in float32 arithmetic as its C code
    (the exponential in double); returns the kept rows' indices. plus_one=False: the SDK's overlap instead (no +1
    on widths and heights, computed in double and rounded to float, as BoundingBox.iou and SoftNmsLoop)."""
    one, sig, thr = F32(1), F32(sigma), F32(threshold)
    n = len(boxes)
    i = 0
    while i < n:
        m = i + int(np.argmax(boxes[i:n, 4]))  # first maximum, as the scan with a strict '<'
        boxes[[i, m]] = boxes[[m, i]]
        tx1, ty1, tx2, ty2 = (F32(v) for v in boxes[i, :4])
        pos = i + 1
        while pos < n:
            x1, y1, x2, y2 = (F32(v) for v in boxes[pos, :4])
            if not plus_one:
                iw = min(float(tx2), float(x2)) - max(float(tx1), float(x1))
                ih = min(float(ty2), float(y2)) - max(float(ty1), float(y1))
                if iw > 0 and ih > 0:
                    inter = iw * ih
                    union = (float(tx2) - float(tx1)) * (float(ty2) - float(ty1)) + (float(x2) - float(x1)) * (
                        float(y2) - float(y1)) - inter
                    ov = F32(inter / union if union > 0 else 0.0)
                    weight = F32(math.exp(float(F32(-(ov * ov)) / sig)))
                    boxes[pos, 4] = F32(weight * F32(boxes[pos, 4]))
                    if boxes[pos, 4] < thr:
                        boxes[pos] = boxes[n - 1]
                        n -= 1
                        pos -= 1
                pos += 1
                continue
            area = F32((x2 - x1 + one) * (y2 - y1 + one))
            iw = F32(min(tx2, x2) - max(tx1, x1) + one)
            if iw > 0:
                ih = F32(min(ty2, y2) - max(ty1, y1) + one)
                if ih > 0:
                    ua = F32(F32((tx2 - tx1 + one) * (ty2 - ty1 + one)) + area - F32(iw * ih))
                    ov = F32(F32(iw * ih) / ua)
                    weight = F32(math.exp(float(F32(-(ov * ov)) / sig)))
                    boxes[pos, 4] = F32(weight * F32(boxes[pos, 4]))
                    if boxes[pos, 4] < thr:
                        boxes[pos] = boxes[n - 1]
                        n -= 1
                        pos -= 1
            pos += 1
        i += 1
    return list(range(n))


def detect(image_bgr, net, soft_nms=soft_nms_gaussian, plus_one=True):
    h, w = image_bgr.shape[:2]
    image = (image_bgr / 255.0).transpose(2, 0, 1).copy()
    locs = np.array([[h // 2, w // 2, s / max(h, w)] for s in CONFIG["init_sizes"]], F32)
    imgs, offs = canvases(image, locs)
    dets, atts = net.run(imgs, no_att=False)
    nxt = att_locations(atts, CONFIG["att_scales"][0], locs[:, 2], offs, h, w, ignore_same=False)
    map_back(dets, locs[:, 2], offs)
    dets = dets.reshape(-1, 8)
    dets = dets[dets[:, 4] > 0.3]
    nxt = location_nms(np.concatenate((nxt, det_locations(dets)), 0))
    stages = {"first_stage_detections": len(dets), "locations": nxt[:CONFIG["att_max_crops"]].tolist()}
    all_dets = [dets]
    if len(nxt):
        nxt = nxt[:CONFIG["att_max_crops"]]
        imgs, offs = canvases(image, nxt)
        d, _ = net.run(imgs, no_att=True)
        map_back(d, nxt[:, 2], offs)
        d = d.reshape(-1, 8)
        all_dets.append(d[d[:, 4] > -1])
    dets = np.concatenate(all_dets, 0)
    per_class = {}
    for j in range(CONFIG["categories"]):
        b = dets[dets[:, -1] == j][:, 0:7].astype(F32)
        keep = soft_nms(b, Nt=0.5, method=2, sigma=0.7) if soft_nms is not soft_nms_gaussian \
            else soft_nms(b, plus_one=plus_one)
        per_class[j] = b[keep, 0:5]
    scores = np.hstack([per_class[j][:, 4] for j in per_class])
    if len(scores) > CONFIG["max_per_image"]:
        kth = len(scores) - CONFIG["max_per_image"]
        t = np.partition(scores, kth)[kth]
        per_class = {j: b[b[:, 4] >= t] for j, b in per_class.items()}
    return per_class, stages


# ------------------------------------------------------------------------------------------------ upstream run
def upstream_run(git_dir, nms_dir, image_bgr, model):
    tmp = tempfile.mkdtemp(prefix="cornernet-lite-test-")
    for f in ("core/test/cornernet_saccade.py", "core/models/py_utils/utils.py"):
        os.makedirs(os.path.join(tmp, os.path.dirname(f)), exist_ok=True)
        with open(os.path.join(tmp, f), "wb") as out:
            out.write(subprocess.check_output(["git", "--git-dir", git_dir, "show", "HEAD:" + f]))
    for pkg in ("core", "core/test", "core/models", "core/models/py_utils"):
        open(os.path.join(tmp, pkg, "__init__.py"), "a").close()
    # what the test module imports besides torch/numpy/cv2: stand-ins for the timer, the drawing and, unless
    # built by hand, the compiled soft-NMS
    for name, attrs in (("core.utils", {"Timer": object}), ("core.vis_utils", {"draw_bboxes": None}),
                        ("tqdm", {"tqdm": None})):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
    ext = types.ModuleType("core.external")
    sys.modules["core.external"] = ext
    if nms_dir:
        sys.path.insert(0, nms_dir)
        sys.modules["core.external.nms"] = importlib.import_module("nms")
    else:
        sys.modules["core.external.nms"] = types.SimpleNamespace(soft_nms=lambda b, **k: soft_nms_gaussian(b))
    sys.path.insert(0, tmp)
    test = importlib.import_module("core.test.cornernet_saccade")
    utils = importlib.import_module("core.models.py_utils.utils")
    torch.cuda.FloatTensor = lambda *s: torch.FloatTensor(*s)
    torch.Tensor.cuda = lambda self, *a, **k: self

    class DB:
        configs = CONFIG
        mean, std = MEAN, STD

    class NNet:
        def test(self, xs, no_att=False, **kw):
            with torch.no_grad():
                out = model(xs[0].float())
                dets = utils._decode(*[out[n] for n in registry.CORNER_OUTPUTS], **{k: v for k, v in kw.items()
                                                                                    if k != "test"})
                if no_att:
                    return dets
                return dets, [torch.sigmoid(out[n]) for n in registry.SACCADE_ATTENTION]

    prepared = []  # the locations of every prepare_images call: the first stage's, then the crops'
    orig = test.prepare_images
    test.prepare_images = lambda db, image, locs, flipped=True: (prepared.append(np.array(locs)),
                                                                 orig(db, image, locs, flipped))[1]
    result = test.cornernet_saccade_inference(DB(), NNet(), image_bgr)
    return result, prepared, utils._decode, bool(nms_dir)


# ------------------------------------------------------------------------------------------------ main
def make_model(cal, seed=0):
    """keydet_export's tiny Saccade model with export.py's weights for --seed 0 --calibration-npy (cal)."""
    torch.manual_seed(seed)
    m, _ = registry.build("saccade", "cornernet", tiny=True, num_classes=CONFIG["categories"])
    near_identity_(m, seed=seed)
    calibrate_heads_(m, (255, 255), registry.RENAME, seed=seed, x=torch.from_numpy(cal))
    return m.eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", default="/work/.mirror/princeton-vl+CornerNet-Lite/repo/.git")
    ap.add_argument("--upstream-nms", help="directory with upstream's compiled nms module (built by hand)")
    ap.add_argument("--image-seed", type=int, default=7)
    ap.add_argument("--only-misfits", action="store_true", help="write only the graph-only misfit models")
    a = ap.parse_args()
    if a.only_misfits:
        attention_misfits(os.path.join(ROOT, "detector-onnx", "src", "test", "resources", "bad"))
        return
    os.makedirs(OUT, exist_ok=True)
    from make_test_resources import synthetic_image
    rgb = synthetic_image(300, 400, a.image_seed)
    Image.fromarray(rgb).save(os.path.join(OUT, "image.png"))
    bgr = rgb[..., ::-1].copy()
    # the heads are calibrated on the first stage's two canvases of this image (a random input makes a tiny
    # random network saturate on a real one: ties everywhere)
    h, w = bgr.shape[:2]
    first = np.array([[h // 2, w // 2, s / max(h, w)] for s in CONFIG["init_sizes"]], F32)
    cal = canvases((bgr / 255.0).transpose(2, 0, 1).copy(), first)[0]
    onnx_path = os.path.join(OUT, "saccade_tiny.onnx")
    with tempfile.TemporaryDirectory() as d:
        np.save(os.path.join(d, "cal.npy"), cal)
        with contextlib.redirect_stdout(io.StringIO()) as log:
            code = export.main(["--arch", "saccade", "--task", "cornernet", "--tiny", "--out", onnx_path,
                                "--num-classes", str(CONFIG["categories"]),
                                "--calibration-npy", os.path.join(d, "cal.npy")])
    print([l for l in log.getvalue().splitlines() if l.startswith("RESULT")][0])
    assert code == 0
    model = make_model(cal)

    up, prepared, decode, upstream_nms = upstream_run(a.upstream, a.upstream_nms, bgr, model)
    net = Net(model, decode)
    mine, stages = detect(bgr, net, sys.modules["core.external.nms"].soft_nms if upstream_nms else soft_nms_gaussian)
    mine_own, _ = detect(bgr, Net(model, decode))  # this script's soft-NMS
    sdk, _ = detect(bgr, Net(model, decode), plus_one=False)  # the SDK default overlap (no +1), for comparison; the Java test expects the upstream rows
    crops = np.array(stages["locations"]).reshape(-1, 4)
    upstream_crops = prepared[1] if len(prepared) > 1 else np.zeros((0, 4))
    if crops.shape != upstream_crops.shape or not np.allclose(crops, upstream_crops, rtol=0, atol=1e-9):
        print("crop locations differ:\n upstream", upstream_crops, "\n mine", crops)
    assert crops.shape == upstream_crops.shape and np.allclose(crops, upstream_crops, rtol=0, atol=1e-9)
    for j in range(CONFIG["categories"]):
        u = up[j + 1]
        for name, m in (("this procedure", mine[j]), ("this procedure with its own soft-NMS", mine_own[j])):
            if u.shape != m.shape:
                ud = {tuple(np.round(r, 2)) for r in u}
                md = {tuple(np.round(r, 2)) for r in m}
                print("only upstream", sorted(ud - md)[:8], "\nonly mine", sorted(md - ud)[:8])
            assert u.shape == m.shape, (name, j, u.shape, m.shape)
            if not np.allclose(u, m, rtol=0, atol=1e-4):
                bad = np.nonzero(np.abs(u - m).max(1) > 1e-4)[0]
                print(name, "class", j, "rows differ", bad[:10], "of", len(u))
                for i in bad[:4]:
                    print("  upstream", u[i], "\n  mine    ", m[i])
            assert np.allclose(u, m, rtol=0, atol=1e-4), (name, j)
    worst = min(net.margins, key=lambda t: t[1])
    print("margins: closest %s %.3g" % worst)
    assert all(v > MARGIN for _, v in net.margins), [t for t in net.margins if t[1] <= MARGIN]
    rows = [{"class": j, "score": float(r[4]), "box": [float(v) for v in r[:4]]}
            for j in range(CONFIG["categories"]) for r in sdk[j]]
    upstream_rows = [{"class": j, "score": float(r[4]), "box": [float(v) for v in r[:4]]}
                     for j in range(CONFIG["categories"]) for r in mine[j]]
    upstream_rows.sort(key=lambda r: -r["score"])
    rows.sort(key=lambda r: -r["score"])
    attention_misfits(os.path.join(ROOT, "detector-onnx", "src", "test", "resources", "bad"))
    core_res = os.path.join(ROOT, "detector-core", "src", "test", "resources", "saccade")
    os.makedirs(core_res, exist_ok=True)
    if os.path.exists(os.path.join(OUT, "argsort.json")):
        os.remove(os.path.join(OUT, "argsort.json"))
    with open(os.path.join(core_res, "argsort.json"), "w") as f:
        json.dump({"numpy": np.__version__, "cases": argsort_cases(np.random.default_rng(5))}, f)
        f.write("\n")
    commit = subprocess.check_output(["git", "--git-dir", a.upstream, "rev-parse", "HEAD"], text=True).strip()
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"upstream": "github:princeton-vl/CornerNet-Lite", "commit": commit,
                   "upstream_soft_nms": upstream_nms, "image": "image.png (RGB; BGR to the network)",
                   "first_stage_detections": stages["first_stage_detections"],
                   "crops": len(stages["locations"]), "locations": stages["locations"],
                   "overlap": "SDK (no +1 pixel; the test code's soft_nms adds 1 to widths and heights)",
                   "detections": rows, "detections_upstream_overlap": upstream_rows}, f, indent=1)
        f.write("\n")
    print("crops %d, first-stage detections %d, final detections %d; upstream run equal (soft-NMS: %s)"
          % (len(stages["locations"]), stages["first_stage_detections"], len(rows),
             "upstream's compiled" if upstream_nms else "this script's"))


if __name__ == "__main__":
    main()
