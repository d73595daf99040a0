/**
 * Runs exported keypoint detectors through ONNX Runtime: {@link io.github.keydet.onnx.OnnxDetector} loads a
 * model, reads or infers its spec, picks the execution provider (CUDA when a GPU is there, otherwise the CPU,
 * with one log line saying why) and hands the heads to detector-core's decoders.
 */
package io.github.keydet.onnx;
