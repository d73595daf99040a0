"""Finds the ONNX Runtime Java jar for export.py's self-check, the one the KeyDet build resolved.

Plain Python (no torch), so that it is testable and usable before anything heavy is imported. The build's
default dependency is ``onnxruntime_gpu`` (``-Donnxruntime.artifact=onnxruntime`` gives the CPU-only jar);
either works for the check, which runs on the CPU.
"""
import glob
import os
import re

ARTIFACTS = ("onnxruntime", "onnxruntime_gpu")
DEFAULT_VERSION = "1.28.0"


def repo_root():
    """The KeyDet checkout this file is in (tools/export/keydet_export/ -> three levels up)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def pinned_version(root):
    """The ONNX Runtime version the root pom.xml pins (``<onnxruntime.version>``), else the default."""
    try:
        with open(os.path.join(root, "pom.xml"), encoding="utf-8") as f:
            m = re.search(r"<onnxruntime\.version>\s*([^<\s]+)\s*</onnxruntime\.version>", f.read())
        return m.group(1) if m else DEFAULT_VERSION
    except OSError:
        return DEFAULT_VERSION


def local_repositories(home):
    """Local Maven repositories: ~/.m2/settings.xml's <localRepository> if set, and ~/.m2/repository."""
    repos = []
    settings = os.path.join(home, ".m2", "settings.xml")
    try:
        with open(settings, encoding="utf-8") as f:
            m = re.search(r"<localRepository>\s*([^<]+?)\s*</localRepository>", f.read())
        if m:
            repos.append(os.path.expanduser(m.group(1).replace("${user.home}", home)))
    except OSError:
        pass
    repos.append(os.path.join(home, ".m2", "repository"))
    return repos


def candidates(root, home, version):
    """Where the jar may be, in the order looked at: the build's lib folder, then the local repositories."""
    lib = os.path.join(root, "detector-examples", "target", "lib")
    out = [os.path.join(lib, "%s-%s.jar" % (a, version)) for a in ARTIFACTS]
    for repo in local_repositories(home):
        for a in ARTIFACTS:
            out.append(os.path.join(repo, "com", "microsoft", "onnxruntime", a, version, "%s-%s.jar" % (a, version)))
    return out


def find_ort_jar(root=None, home=None, env=None):
    """The jar's path, or None. KEYDET_ORT_JAR wins; then the pinned version where the build puts it (any
    version in the build's lib folder as a last resort: that is what the build resolved)."""
    root = root or repo_root()
    home = home or os.path.expanduser("~")
    env = os.environ if env is None else env
    explicit = env.get("KEYDET_ORT_JAR", "")
    if explicit:
        return explicit if os.path.isfile(explicit) else None
    for path in candidates(root, home, pinned_version(root)):
        if os.path.isfile(path):
            return path
    lib = os.path.join(root, "detector-examples", "target", "lib")
    hits = sorted(h for a in ARTIFACTS for h in glob.glob(os.path.join(lib, "%s-*.jar" % a)))
    return hits[-1] if hits else None


def missing_message(root=None, home=None, env=None):
    """What to tell a user for whom find_ort_jar found nothing: where it looked and what to run."""
    root = root or repo_root()
    home = home or os.path.expanduser("~")
    env = os.environ if env is None else env
    version = pinned_version(root)
    explicit = env.get("KEYDET_ORT_JAR", "")
    if explicit:
        return "KEYDET_ORT_JAR=%s is not a file" % explicit
    looked = "\n".join("  " + p for p in candidates(root, home, version))
    return ("no ONNX Runtime %s jar found for the check; looked at:\n%s\n"
            "Build KeyDet first, which puts it in detector-examples/target/lib/:\n"
            "  (cd %s && mvn -B -DskipTests package)\n"
            "or pass --ort-jar FILE (or KEYDET_ORT_JAR), or check with --runner node, or skip the check with"
            " --runner none." % (version, looked, root))
