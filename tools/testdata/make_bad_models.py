#!/usr/bin/env python3
"""Tiny ONNX models for detector-onnx's load-time and bad-input tests (a few hundred bytes each).

Built with Debian's python3-onnx helper API (no weights, no PyPI). Every model reads a float image tensor and
computes its heads with pooling, so it runs on any input:

  tiny_centernet.onnx  valid CENTERNET model: input [1,3,32,32] -> hm [1,3,8,8] (sigmoid of 4x4 average pool),
                       wh [1,2,8,8]; KeyDet spec in metadata_props (32x32 affine warp, probabilities, 3 labels)
  hm_only.onnx         same spec, but only the output 'hm' ('wh' missing)
  rank3_input.onnx     input [3,32,32] (rank 3), outputs hm and wh as above
  nan_heatmap.onnx     like tiny_centernet, but hm = sqrt(pool - 1000): NaN everywhere
  double_wh.onnx       like tiny_centernet, but wh is float64 (Cast)
  hot_heatmap.onnx     like tiny_centernet, but hm = sigmoid(pool) + 1: "probabilities" in (1, 2)

Usage (from the repository root):
    /usr/bin/python3 tools/testdata/make_bad_models.py detector-onnx/src/test/resources/bad
Deterministic: same bytes on every run.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8


def spec_metadata():
    return {
        "keydet.family": "CENTERNET",
        "keydet.input_width": "32",
        "keydet.input_height": "32",
        "keydet.layout": "NCHW",
        "keydet.heatmaps": "PROBABILITIES",
        "keydet.labels": '["alpha", "beta", "gamma"]',
    }


def build(name, input_shape, outputs, nan=False, double_wh=False, hot=False):
    nodes = []
    inits = []
    x = "image"
    if len(input_shape) == 3:
        inits.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "axes0"))
        nodes.append(helper.make_node("Unsqueeze", ["image", "axes0"], ["image4"]))
        x = "image4"
    nodes.append(helper.make_node("AveragePool", [x], ["pooled"], kernel_shape=[4, 4], strides=[4, 4]))
    if nan:
        inits.append(numpy_helper.from_array(np.array(1000.0, dtype=np.float32), "big"))
        nodes.append(helper.make_node("Sub", ["pooled", "big"], ["shifted"]))
        nodes.append(helper.make_node("Sqrt", ["shifted"], ["hm"]))
    elif hot:
        inits.append(numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"))
        nodes.append(helper.make_node("Sigmoid", ["pooled"], ["prob"]))
        nodes.append(helper.make_node("Add", ["prob", "one"], ["hm"]))
    else:
        nodes.append(helper.make_node("Sigmoid", ["pooled"], ["hm"]))
    graph_outputs = [helper.make_tensor_value_info("hm", TensorProto.FLOAT, [1, 3, 8, 8])]
    if "wh" in outputs:
        inits.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "s0"))
        inits.append(numpy_helper.from_array(np.array([2], dtype=np.int64), "s2"))
        inits.append(numpy_helper.from_array(np.array([1], dtype=np.int64), "ax1"))
        nodes.append(helper.make_node("Slice", ["pooled", "s0", "s2", "ax1"], ["pooled2"]))
        if double_wh:
            nodes.append(helper.make_node("Abs", ["pooled2"], ["wh_float"]))
            nodes.append(helper.make_node("Cast", ["wh_float"], ["wh"], to=TensorProto.DOUBLE))
        else:
            nodes.append(helper.make_node("Abs", ["pooled2"], ["wh"]))
        graph_outputs.append(helper.make_tensor_value_info(
            "wh", TensorProto.DOUBLE if double_wh else TensorProto.FLOAT, [1, 2, 8, 8]))
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("image", TensorProto.FLOAT, input_shape)], graph_outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="keydet-tests")
    model.ir_version = IR_VERSION
    helper.set_model_props(model, spec_metadata())
    onnx.checker.check_model(model)
    return model


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    models = {
        "tiny_centernet.onnx": build("tiny_centernet", [1, 3, 32, 32], ["hm", "wh"]),
        "hm_only.onnx": build("hm_only", [1, 3, 32, 32], ["hm"]),
        "rank3_input.onnx": build("rank3_input", [3, 32, 32], ["hm", "wh"]),
        "nan_heatmap.onnx": build("nan_heatmap", [1, 3, 32, 32], ["hm", "wh"], nan=True),
        "double_wh.onnx": build("double_wh", [1, 3, 32, 32], ["hm", "wh"], double_wh=True),
        "hot_heatmap.onnx": build("hot_heatmap", [1, 3, 32, 32], ["hm", "wh"], hot=True),
    }
    for file, model in models.items():
        onnx.save(model, os.path.join(out_dir, file))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "detector-onnx/src/test/resources/bad")
