/**
 * The test-time procedure around the network: {@link io.github.keydet.core.pipeline.DetectionPipeline} (plain,
 * flip test, multi-scale, Triplets' pooled runs, CornerNet-Saccade's crop search in {@link
 * io.github.keydet.core.pipeline.SaccadeProcedure}) over a {@link io.github.keydet.core.pipeline.Network} (ONNX
 * Runtime in detector-onnx, a fake in tests), timing each stage on a {@link
 * io.github.keydet.core.pipeline.StageClock}.
 */
package io.github.keydet.core.pipeline;
