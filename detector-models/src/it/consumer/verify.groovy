// The consumer's main printed the astronaut photo's person detection (label, score, box in image pixels) ...
def log = new File(basedir, 'build.log').text
assert log =~ /DETECTED person 0\.6\d+ BoundingBox\[x1=8\.\d+, y1=8\.\d+, x2=368\.\d+, y2=512\.0\]/
// ... on the CPU-only ONNX Runtime, with the GPU jar off its class path, and one JavaCPP/OpenBLAS release
def deps = new File(basedir, 'target/runtime-dependencies.txt').text
assert deps.contains('com.microsoft.onnxruntime:onnxruntime:jar:')
assert !deps.contains('onnxruntime_gpu')
assert deps.contains('org.bytedeco:javacpp:jar:linux-x86_64:1.5.7')
assert !deps.contains('1.5.8')
