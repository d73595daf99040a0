"""export.py's self-check finds the ONNX Runtime jar the KeyDet build resolved, on a fresh machine too.

  /usr/bin/python3 -m unittest discover -s tools/export/tests -v

Needs no torch: keydet_export.ortjar is plain Python. Each case lays out a checkout and a home folder as a
new user's machine has them (the build's detector-examples/target/lib/, an empty or a filled ~/.m2).
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from keydet_export import ortjar  # noqa: E402

POM = "<project><properties><onnxruntime.version>1.28.0</onnxruntime.version></properties></project>\n"


def touch(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"PK")
    return path


class FindOrtJar(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "keydet")
        self.home = os.path.join(self.tmp.name, "home")
        os.makedirs(self.home)
        os.makedirs(self.root)
        with open(os.path.join(self.root, "pom.xml"), "w") as f:
            f.write(POM)

    def tearDown(self):
        self.tmp.cleanup()

    def find(self, env=None):
        return ortjar.find_ort_jar(self.root, self.home, env or {})

    def test_gpu_jar_the_default_build_copied_to_target_lib(self):
        # the README's build: onnxruntime_gpu, copied into detector-examples/target/lib; ~/.m2 empty
        jar = touch(os.path.join(self.root, "detector-examples/target/lib/onnxruntime_gpu-1.28.0.jar"))
        self.assertEqual(self.find(), jar)

    def test_cpu_jar_of_a_cpu_build_in_target_lib(self):
        jar = touch(os.path.join(self.root, "detector-examples/target/lib/onnxruntime-1.28.0.jar"))
        self.assertEqual(self.find(), jar)

    def test_gpu_jar_in_the_local_maven_repository(self):
        jar = touch(os.path.join(self.home, ".m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/1.28.0/"
                                            "onnxruntime_gpu-1.28.0.jar"))
        self.assertEqual(self.find(), jar)

    def test_local_repository_from_settings_xml(self):
        repo = os.path.join(self.tmp.name, "elsewhere")
        os.makedirs(os.path.join(self.home, ".m2"))
        with open(os.path.join(self.home, ".m2/settings.xml"), "w") as f:
            f.write("<settings><localRepository>%s</localRepository></settings>" % repo)
        jar = touch(os.path.join(repo, "com/microsoft/onnxruntime/onnxruntime/1.28.0/onnxruntime-1.28.0.jar"))
        self.assertEqual(self.find(), jar)

    def test_pinned_version_wins_over_others_in_the_local_repository(self):
        base = os.path.join(self.home, ".m2/repository/com/microsoft/onnxruntime/onnxruntime/")
        touch(base + "1.29.0/onnxruntime-1.29.0.jar")  # crashes the JVM on long command lines
        jar = touch(base + "1.28.0/onnxruntime-1.28.0.jar")
        self.assertEqual(self.find(), jar)
        os.remove(jar)
        self.assertIsNone(self.find(), "only the pinned version is taken from ~/.m2")

    def test_pinned_version_read_from_the_pom(self):
        with open(os.path.join(self.root, "pom.xml"), "w") as f:
            f.write(POM.replace("1.28.0", "1.30.1"))
        touch(os.path.join(self.root, "detector-examples/target/lib/onnxruntime_gpu-1.28.0.jar"))
        jar = touch(os.path.join(self.root, "detector-examples/target/lib/onnxruntime_gpu-1.30.1.jar"))
        self.assertEqual(ortjar.pinned_version(self.root), "1.30.1")
        self.assertEqual(self.find(), jar)

    def test_explicit_jar_from_the_environment(self):
        jar = touch(os.path.join(self.tmp.name, "my/ort.jar"))
        touch(os.path.join(self.root, "detector-examples/target/lib/onnxruntime_gpu-1.28.0.jar"))
        self.assertEqual(self.find({"KEYDET_ORT_JAR": jar}), jar)
        self.assertIsNone(self.find({"KEYDET_ORT_JAR": jar + ".missing"}))
        self.assertIn("is not a file", ortjar.missing_message(self.root, self.home, {"KEYDET_ORT_JAR": "x.jar"}))

    def test_fresh_clone_and_empty_maven_repository_says_what_to_run(self):
        self.assertIsNone(self.find())
        msg = ortjar.missing_message(self.root, self.home, {})
        self.assertIn("no ONNX Runtime 1.28.0 jar found", msg)
        self.assertIn(os.path.join(self.root, "detector-examples", "target", "lib", "onnxruntime_gpu-1.28.0.jar"), msg)
        self.assertIn(os.path.join(self.home, ".m2", "repository"), msg)
        self.assertIn("mvn -B -DskipTests package", msg)
        self.assertIn("--ort-jar", msg)
        self.assertIn("--runner none", msg)


class ThisCheckout(unittest.TestCase):
    def test_repo_root_is_the_checkout(self):
        root = ortjar.repo_root()
        self.assertTrue(os.path.isfile(os.path.join(root, "pom.xml")), root)
        self.assertTrue(os.path.isdir(os.path.join(root, "detector-examples")), root)
        self.assertEqual(ortjar.pinned_version(root), "1.28.0")

    def test_export_py_uses_the_finder_before_exporting(self):
        # export.py imports torch; read it as text to check that the self-check goes through ortjar, first
        with open(os.path.join(os.path.dirname(HERE), "export.py")) as f:
            src = f.read()
        self.assertNotIn(".m2/repository", src)
        main = src[src.index("def main("):]
        self.assertLess(main.index("ortjar.find_ort_jar()"), main.index("registry.build("))
        self.assertIn("ortjar.missing_message()", main)


if __name__ == "__main__":
    unittest.main()
