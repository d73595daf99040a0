"""GridNeighbor export settings: heads and metadata for the point flags, bad flags refused.

  /usr/bin/python3 -m unittest discover -s tools/export/tests -v
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from keydet_export import registry  # noqa: E402


class GridNeighborExport(unittest.TestCase):
    def test_heads_follow_the_upstream_opts(self):
        # Wastoon opts.py: hm C * P, wh 2P, reg 2P
        self.assertEqual(registry.task_heads("gridneighbordet", 2, (0, 2, 4, 6, 8)), {"hm": 10, "wh": 10, "reg": 10})
        self.assertEqual(registry.task_heads("gridneighbordet"), {"hm": 240, "wh": 6, "reg": 6})
        model, names = registry.build("hourglass104", "gridneighbordet", tiny=True, num_classes=3, point_flags=(4,))
        self.assertEqual(names, ["hm", "wh", "reg"])
        self.assertEqual(model.hm[-1][-1].out_channels, 3)
        self.assertEqual(model.wh[-1][-1].out_channels, 2)

    def test_metadata_names_the_family_and_flags(self):
        md = registry.metadata("hourglass104", "gridneighbordet", (512, 512), point_flags=(8, 0, 4))
        self.assertEqual(md["keydet.family"], "GRIDNEIGHBOR")
        self.assertEqual(md["keydet.grid_points"], "8,0,4")
        self.assertEqual(md["keydet.heatmaps"], "LOGITS")
        self.assertEqual(md["keydet.pad_multiple"], "128")
        self.assertNotIn("keydet.grid_points", registry.metadata("hourglass104", "ctdet", (512, 512)))

    def test_bad_flags_are_refused_naming_them(self):
        self.assertEqual(registry.parse_point_flags("0, 4,8"), (0, 4, 8))
        for bad in ("0,9", "-1", "0,4,4", "0,x", ""):
            with self.assertRaises(SystemExit) as e:
                registry.parse_point_flags(bad)
            self.assertIn(repr(bad), str(e.exception))


if __name__ == "__main__":
    unittest.main()
