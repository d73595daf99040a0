"""The export-friendly ops equal their references exactly (corner pools) or to rounding (DCN fallback)."""
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keydet_export import ops  # noqa: E402


class Ops(unittest.TestCase):
    def test_log_step_scan_equals_sequential_scan(self):
        g = torch.Generator().manual_seed(0)
        for shape in [(2, 3, 1, 1), (2, 3, 7, 5), (1, 4, 16, 33), (1, 2, 128, 128), (1, 1, 100, 3)]:
            x = torch.round(torch.randn(shape, generator=g) * 2) / 2  # many ties
            x[..., 0, 0] = float("-inf")
            for dim in (2, 3):
                for rev in (True, False):
                    self.assertTrue(torch.equal(ops.scan_max(x, dim, rev), ops.scan_max_sequential(x, dim, rev)),
                                    (shape, dim, rev))

    def test_pool_directions(self):
        x = torch.tensor([[[[1., 3., 2.], [0., 5., 1.], [4., 0., 0.]]]])
        self.assertEqual(ops.TopPool()(x)[0, 0, :, 0].tolist(), [4., 4., 4.])
        self.assertEqual(ops.BottomPool()(x)[0, 0, :, 0].tolist(), [1., 1., 4.])
        self.assertEqual(ops.LeftPool()(x)[0, 0, 0].tolist(), [3., 3., 2.])
        self.assertEqual(ops.RightPool()(x)[0, 0, 0].tolist(), [1., 3., 3.])

    @unittest.skipIf(ops.tvops is None, "torchvision missing")
    def test_pure_torch_dcn_equals_torchvision(self):
        g = torch.Generator().manual_seed(1)
        x = torch.randn(2, 5, 9, 7, generator=g, dtype=torch.float64)
        w = torch.randn(4, 5, 3, 3, generator=g, dtype=torch.float64)
        b = torch.randn(4, generator=g, dtype=torch.float64)
        off = torch.randn(2, 18, 9, 7, generator=g, dtype=torch.float64) * 3
        m = torch.rand(2, 9, 9, 7, generator=g, dtype=torch.float64)
        r = ops._deform_conv_reference(x, off, m, w, b, 1, 1, 1)
        t = ops.tvops.deform_conv2d(x, off, w, b, padding=1, mask=m)
        self.assertLess((r - t).abs().max().item(), 1e-12)


if __name__ == "__main__":
    unittest.main()
