#!/usr/bin/env python3
"""Tiny models whose heads are written in the input image's pixels: CENTERNET_TRIPLETS (triplets_pixel_heads.onnx,
described below) and EXTREMENET (extremenet_pixel_heads.onnx, see EXTREME_CHANNELS). A CENTERNET_TRIPLETS model whose heads are written in the input image's pixels, so that a test can plant
corners, tags, offsets and centers in a PNG and run them through the whole detector (flip test and test scales
included). One 4x4 stride-4 convolution: every output cell reads fixed pixels of its 4x4 block.

Input [1,3,64,64], raw pixel values (value scale 1, mean 0, std 1, RGB, 64x64 letterbox: a 64x64 image is copied
exactly). In the block of cell (X, Y), at (row, column) within the block:

  R (0,0) tl_heat   R (0,1) br_heat   R (1,0) ct_heat      logit = (p - 128) / 10
  G (0,0) tl_tag    G (0,1) br_tag                         tag   = (p - 128) / 10
  B (0,0), (0,1) tl_regr x, y   B (1,0), (1,1) br_regr x, y   B (2,0), (2,1) ct_regr x, y   offset = p / 255

Only columns 0 and 1 are read, so a horizontally mirrored image (the flip test's second run) reads columns 3
and 2 of the original blocks: the mirror's heads can be planted independently.

Outputs tl_heat, br_heat, ct_heat [1,1,16,16], tl_tag, br_tag [1,1,16,16], tl_regr, br_regr, ct_regr
[1,2,16,16]. Usage (from the repository root):
    /usr/bin/python3 tools/testdata/make_pixel_heads_model.py detector-onnx/src/test/resources/pixelheads
Deterministic: same bytes on every run.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# output channel -> (input channel, row, column, weight, bias)
LOGIT = (0.1, -12.8)
OFFSET = (1 / 255, 0.0)
CHANNELS = [
    ("tl_heat", [(0, 0, 0, LOGIT)]),
    ("br_heat", [(0, 0, 1, LOGIT)]),
    ("tl_tag", [(1, 0, 0, LOGIT)]),
    ("br_tag", [(1, 0, 1, LOGIT)]),
    ("tl_regr", [(2, 0, 0, OFFSET), (2, 0, 1, OFFSET)]),
    ("br_regr", [(2, 1, 0, OFFSET), (2, 1, 1, OFFSET)]),
    ("ct_heat", [(0, 1, 0, LOGIT)]),
    ("ct_regr", [(2, 2, 0, OFFSET), (2, 2, 1, OFFSET)]),
]


# ExtremeNet, one class, same block code (only columns 0 and 1 are read):
#   R (0,0) t_heat  R (0,1) l_heat  R (1,0) b_heat  R (1,1) r_heat  R (2,0) ct_heat   logit = (p - 128) / 10
#   G (0,0), (0,1) t_regr x, y   G (1,0), (1,1) l_regr x, y
#   B (0,0), (0,1) b_regr x, y   B (1,0), (1,1) r_regr x, y                          offset = p / 255
EXTREME_CHANNELS = [
    ("t_heat", [(0, 0, 0, LOGIT)]),
    ("l_heat", [(0, 0, 1, LOGIT)]),
    ("b_heat", [(0, 1, 0, LOGIT)]),
    ("r_heat", [(0, 1, 1, LOGIT)]),
    ("ct_heat", [(0, 2, 0, LOGIT)]),
    ("t_regr", [(1, 0, 0, OFFSET), (1, 0, 1, OFFSET)]),
    ("l_regr", [(1, 1, 0, OFFSET), (1, 1, 1, OFFSET)]),
    ("b_regr", [(2, 0, 0, OFFSET), (2, 0, 1, OFFSET)]),
    ("r_regr", [(2, 1, 0, OFFSET), (2, 1, 1, OFFSET)]),
]


def main(out_dir):
    save(CHANNELS, "CENTERNET_TRIPLETS", os.path.join(out_dir, "triplets_pixel_heads.onnx"), out_dir)
    save(EXTREME_CHANNELS, "EXTREMENET", os.path.join(out_dir, "extremenet_pixel_heads.onnx"), out_dir)


def save(channels, family, path, out_dir):
    CHANNELS = channels
    rows = [r for _, reads in CHANNELS for r in reads]
    w = np.zeros((len(rows), 3, 4, 4), dtype=np.float32)
    b = np.zeros(len(rows), dtype=np.float32)
    for o, (c, y, x, (weight, bias)) in enumerate(rows):
        w[o, c, y, x] = weight
        b[o] = bias
    nodes = [
        helper.make_node("Conv", ["image", "w", "b"], ["all"], kernel_shape=[4, 4], strides=[4, 4]),
        helper.make_node("Split", ["all", "sizes"], [name for name, _ in CHANNELS], axis=1),
    ]
    sizes = np.array([len(reads) for _, reads in CHANNELS], dtype=np.int64)
    outputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, len(reads), 16, 16])
               for name, reads in CHANNELS]
    graph = helper.make_graph(
        nodes, "pixel_heads",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 64, 64])], outputs,
        initializer=[numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
                     numpy_helper.from_array(sizes, "sizes")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="keydet-tools")
    model.ir_version = 8
    meta = {
        "keydet.family": family,
        "keydet.input_width": "64",
        "keydet.input_height": "64",
        "keydet.layout": "NCHW",
        "keydet.channel_order": "RGB",
        "keydet.value_scale": "1",
        "keydet.mean": "0,0,0",
        "keydet.std": "1,1,1",
        "keydet.resize": "LETTERBOX",
        "keydet.stride": "4",
        "keydet.heatmaps": "LOGITS",
        "keydet.labels": '["thing"]',
    }
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(model)
    os.makedirs(out_dir, exist_ok=True)
    onnx.save(model, path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "detector-onnx/src/test/resources/pixelheads")
