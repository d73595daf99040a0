"""CornerNet-Lite exports: tiny random-weight Saccade and Squeeze models export, and ONNX Runtime (the Java jar, as
export.py's own check) gives PyTorch's outputs; the outputs are named and shaped as the SDK expects; checkpoints
in the training code's format (`module.` + state_dict, no num_batches_tracked) load strictly and give identical
outputs. (expected_keys/upstream_lite_keys.py checks the full-size key layout against the upstream classes;
test_keys.py compares the committed lists.)

  /usr/bin/python3 -m unittest discover -s tools/export/tests -v
"""
import io
import contextlib
import os
import sys
import tempfile
import unittest

import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import export  # noqa: E402
from keydet_export import registry  # noqa: E402
from keydet_export.checkpoint import load_into  # noqa: E402
from keydet_export.init import near_identity_  # noqa: E402


class LiteExports(unittest.TestCase):
    def export(self, arch, d):
        out = os.path.join(d, arch + ".onnx")
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            code = export.main(["--arch", arch, "--task", "cornernet", "--tiny", "--out", out])
        self.assertEqual(code, 0, log.getvalue())
        self.assertIn("RESULT %s cornernet" % arch, log.getvalue())
        return onnx.load(out), log.getvalue()

    def test_saccade_tiny_export_matches_pytorch(self):
        with tempfile.TemporaryDirectory() as d:
            m, log = self.export("saccade", d)
        names = [o.name for o in m.graph.output]
        self.assertEqual(names, registry.CORNER_OUTPUTS + ["att0", "att1", "att2"])
        md = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(md["keydet.family"], "CORNERNET_SACCADE")
        self.assertEqual((md["keydet.input_height"], md["keydet.input_width"]), ("255", "255"))
        self.assertEqual(md["keydet.attention_ratios"], "16,8,4")
        self.assertEqual(md["keydet.stride"], "4")
        dims = {o.name: [x.dim_value for x in o.type.tensor_type.shape.dim][1:] for o in m.graph.output}
        self.assertEqual(dims["tl_heat"], [80, 64, 64])
        self.assertEqual(dims["att0"], [1, 16, 16])
        self.assertEqual(dims["att1"], [1, 32, 32])
        self.assertEqual(dims["att2"], [1, 64, 64])

    def test_squeeze_tiny_export_matches_pytorch(self):
        with tempfile.TemporaryDirectory() as d:
            m, _ = self.export("squeeze", d)
        self.assertEqual([o.name for o in m.graph.output], registry.CORNER_OUTPUTS)
        md = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(md["keydet.family"], "CORNERNET")
        self.assertEqual(md["keydet.stride"], "8")
        self.assertEqual((md["keydet.top_k"], md["keydet.num_dets"]), ("20", "100"))  # CornerNet_Squeeze.json
        dims = [x.dim_value for x in m.graph.output[0].type.tensor_type.shape.dim][1:]
        self.assertEqual(dims, [80, 16, 16])  # 127 input, stride 8

    def test_training_checkpoint_format_loads(self):
        for arch in ("saccade", "squeeze"):
            with self.subTest(arch=arch):
                src, _ = registry.build(arch, "cornernet", tiny=True)
                near_identity_(src, seed=3)
                dst, _ = registry.build(arch, "cornernet", tiny=True)
                near_identity_(dst, seed=4)
                src.eval()
                dst.eval()
                with tempfile.TemporaryDirectory() as d:
                    p = os.path.join(d, "ckpt.pkl")
                    torch.save({"module." + k: v for k, v in src.state_dict().items()
                                if not k.endswith("num_batches_tracked")}, p)
                    with contextlib.redirect_stdout(io.StringIO()):
                        load_into(dst, p, "cornernet")
                x = torch.randn(1, 3, 127, 127)
                with torch.no_grad():
                    a, b = src(x), dst(x)
                for k in a:
                    self.assertTrue(torch.equal(a[k], b[k]), k)

    def test_wrong_lite_checkpoint_is_reported(self):
        src, _ = registry.build("squeeze", "cornernet", tiny=True)
        dst, _ = registry.build("saccade", "cornernet", tiny=True)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "c.pkl")
            torch.save({"module." + k: v for k, v in src.state_dict().items()}, p)
            with self.assertRaises(SystemExit):
                load_into(dst, p, "cornernet")


if __name__ == "__main__":
    unittest.main()
