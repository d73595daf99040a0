"""Checkpoint layouts load into the definitions and give identical outputs (tiny models)."""
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keydet_export import registry  # noqa: E402
from keydet_export.checkpoint import CORNERNET_ORIG_TO_LITE, EXTREMENET_TO_CENTERNET, load_into  # noqa: E402
from keydet_export.init import near_identity_  # noqa: E402


def inverse(table):
    return {v: k for k, v in table.items()}


def rename(sd, table):
    out = {}
    for k, v in sd.items():
        for new_prefix, old_prefix in sorted(table.items(), key=lambda t: -len(t[0])):
            if k.startswith(new_prefix + "."):
                k = old_prefix + k[len(new_prefix):]
                break
        out[k] = v
    return out


class CheckpointLayouts(unittest.TestCase):
    def roundtrip(self, arch, task, make_file):
        src, _ = registry.build(arch, task, tiny=True)
        near_identity_(src, seed=3)
        src.eval()
        dst, _ = registry.build(arch, task, tiny=True)
        near_identity_(dst, seed=4)
        dst.eval()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "ckpt")
            make_file(src.state_dict(), path)
            load_into(dst, path, task)
        x = torch.randn(1, 3, 64, 64)
        with torch.no_grad():
            a, b = src(x), dst(x)
        for k in a:
            self.assertTrue(torch.equal(a[k], b[k]), k)

    def test_centernet_pth_with_module_prefix(self):
        def save(sd, p):
            torch.save({"epoch": 140, "state_dict": {"module." + k: v for k, v in sd.items()}}, p)
        self.roundtrip("dla34", "ctdet", save)
        self.roundtrip("resdcn18", "multi_pose", save)

    def test_cornernet_lite_pkl(self):
        self.roundtrip("hourglass104", "cornernet",
                       lambda sd, p: torch.save({"module." + k: v for k, v in sd.items()
                                                 if not k.endswith("num_batches_tracked")}, p))

    def test_original_cornernet_layout(self):
        inv = inverse(CORNERNET_ORIG_TO_LITE)
        self.roundtrip("hourglass104", "cornernet",
                       lambda sd, p: torch.save({"module." + k: v for k, v in rename(sd, inv).items()}, p))

    def test_extremenet_layout(self):
        inv = inverse(EXTREMENET_TO_CENTERNET)
        self.roundtrip("hourglass104", "exdet",
                       lambda sd, p: torch.save({"module." + k: v for k, v in rename(sd, inv).items()}, p))

    def test_wrong_architecture_is_reported(self):
        src, _ = registry.build("res18", "ctdet", tiny=True)
        dst, _ = registry.build("resdcn18", "ctdet", tiny=True)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "c.pth")
            torch.save({"state_dict": src.state_dict()}, p)
            with self.assertRaises(SystemExit):
                load_into(dst, p, "ctdet")


if __name__ == "__main__":
    unittest.main()
