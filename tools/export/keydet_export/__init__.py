"""KeyDet exporter: PyTorch definitions of CenterNet / CornerNet / CenterNet-Triplets / ExtremeNet networks
with upstream parameter names, ONNX export with DeformConv and scan-based corner pooling, KeyDet metadata."""
