#!/usr/bin/env python3
"""Tiny ONNX models with random weights for the Enhanced-CenterNet families (GRIDNEIGHBOR, LANDMARK, DEEPFASHION2),
so that detector-onnx's tests run them end to end through OnnxDetector (a load-and-run check, not a numerical
reference: the decoders are checked against the upstream code in detector-core).

Each model: input 'image' [1,3,64,64] (raw pixels, value scale 1, mean 0, std 1, RGB), one 4x4 stride-4 convolution
with seeded random weights per head, heads [1,ch,16,16] as logits; KeyDet spec in metadata_props.

  gridneighbor_tiny.onnx  GRIDNEIGHBOR, 2 labels, point flags 0,2,4: hm 6, wh 6 (exp, positive), reg 6 (sigmoid)
  landmark_tiny.onnx      LANDMARK, 1 label: hm 1, wh 2, hps 136, reg 2, hm_hp 68, hp_offset 2
  deepfashion2_tiny.onnx  DEEPFASHION2, 13 labels: hm 13, wh 2, hps 588, reg 2, hm_hp 294, hp_offset 2

Usage (from the repository root; Debian python3-onnx, python3-numpy):
    /usr/bin/python3 tools/testdata/make_enhanced_tiny_models.py detector-onnx/src/test/resources/enhanced
Deterministic: same bytes on every run.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8

MODELS = {
    "gridneighbor_tiny.onnx": ("GRIDNEIGHBOR", ["cat", "dog"], {"keydet.grid_points": "0,2,4"},
                               [("hm", 6, None), ("wh", 6, "Exp"), ("reg", 6, "Sigmoid")]),
    "landmark_tiny.onnx": ("LANDMARK", ["face"], {},
                           [("hm", 1, None), ("wh", 2, "Exp"), ("hps", 136, None), ("reg", 2, "Sigmoid"),
                            ("hm_hp", 68, None), ("hp_offset", 2, "Sigmoid")]),
    "deepfashion2_tiny.onnx": ("DEEPFASHION2", ["short-sleeve-short", "long-sleeve-short", "short-sleeve-outwear",
                                                "long-sleeve-outwear", "vest", "sling", "shorts", "trousers",
                                                "skirt", "short-sleeve-dress", "long-sleeve-dress", "vest-dress",
                                                "sling-dress"], {},
                               [("hm", 13, None), ("wh", 2, "Exp"), ("hps", 588, None), ("reg", 2, "Sigmoid"),
                                ("hm_hp", 294, None), ("hp_offset", 2, "Sigmoid")]),
}


def build(name, family, labels, extra, heads, rng):
    nodes, inits, outputs = [], [], []
    for head, channels, act in heads:
        w = (rng.standard_normal((channels, 3, 4, 4)) * 0.01).astype(np.float32)
        b = (rng.standard_normal(channels) * 0.5).astype(np.float32)
        inits += [numpy_helper.from_array(w, head + "_w"), numpy_helper.from_array(b, head + "_b")]
        raw = head if act is None else head + "_raw"
        nodes.append(helper.make_node("Conv", ["image", head + "_w", head + "_b"], [raw], kernel_shape=[4, 4],
                                      strides=[4, 4]))
        if act is not None:
            nodes.append(helper.make_node(act, [raw], [head]))
        outputs.append(helper.make_tensor_value_info(head, TensorProto.FLOAT, [1, channels, 16, 16]))
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 64, 64])],
                              outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="keydet-tests")
    model.ir_version = IR_VERSION
    props = {"keydet.family": family, "keydet.input_width": "64", "keydet.input_height": "64",
             "keydet.layout": "NCHW", "keydet.heatmaps": "LOGITS", "keydet.value_scale": "1",
             "keydet.mean": "0,0,0", "keydet.std": "1,1,1", "keydet.labels": json.dumps(labels)}
    props.update(extra)
    helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    return model


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(12)
    for file, (family, labels, extra, heads) in MODELS.items():
        onnx.save(build(file[:-5], family, labels, extra, heads, rng), os.path.join(out_dir, file))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "detector-onnx/src/test/resources/enhanced")
