"""Name compatibility: each model's state_dict (keys + shapes) equals the committed expected list, which
expected_keys/derive.py derives independently from the upstream constructors.

  /usr/bin/python3 -m unittest discover -s tools/export/tests -v
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from keydet_export import registry  # noqa: E402


def model_rows(arch, task):
    m, _ = registry.build(arch, task)
    rows = sorted((k, tuple(v.shape)) for k, v in m.state_dict().items())
    return "".join("%s %s\n" % (n, "x".join(map(str, s)) if s else "scalar") for n, s in rows)


class KeyCompat(unittest.TestCase):
    def test_pairs(self):
        for arch, task in registry.PAIRS:
            with self.subTest(arch=arch, task=task):
                path = os.path.join(os.path.dirname(HERE), "expected_keys", "%s_%s.txt" % (arch, task))
                with open(path) as f:
                    expected = f.read()
                got = model_rows(arch, task)
                if got != expected:
                    e, g = set(expected.splitlines()), set(got.splitlines())
                    self.fail("%s/%s: %d only expected, %d only in model\n  expected-only: %s\n  model-only: %s"
                              % (arch, task, len(e - g), len(g - e), sorted(e - g)[:10], sorted(g - e)[:10]))


if __name__ == "__main__":
    unittest.main()
