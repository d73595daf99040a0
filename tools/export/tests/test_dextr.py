"""DEXTR export pieces: the export-friendly adaptive average pool equals nn.AdaptiveAvgPool2d (sizes that do
and do not divide the input), and the tiny model keeps the upstream module layout.

  /usr/bin/python3 -m unittest discover -s tools/export/tests -v
"""
import os
import sys
import unittest

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from keydet_export import dextr  # noqa: E402


class AdaptivePool(unittest.TestCase):
    def test_equals_torch(self):
        g = torch.Generator().manual_seed(3)
        for h, w in ((64, 64), (13, 7), (6, 6), (5, 11)):
            x = torch.randn(2, 3, h, w, generator=g)
            for s in (1, 2, 3, 6):
                with self.subTest(h=h, w=w, s=s):
                    ref = torch.nn.AdaptiveAvgPool2d((s, s))(x)
                    got = dextr.adaptive_avg_pool(x, s)
                    self.assertEqual(tuple(got.shape), tuple(ref.shape))
                    self.assertLess((got - ref).abs().max().item(), 1e-6)


class TinyLayout(unittest.TestCase):
    def test_tiny_keys_are_full_keys(self):
        full = set(dextr.build().state_dict())
        tiny = set(dextr.build(tiny=True).state_dict())
        self.assertTrue(tiny <= full, sorted(tiny - full)[:5])
        out = dextr.build(tiny=True).eval()(torch.zeros(1, 4, 64, 64))["mask"]
        self.assertEqual(tuple(out.shape), (1, 1, 64, 64))


if __name__ == "__main__":
    unittest.main()
