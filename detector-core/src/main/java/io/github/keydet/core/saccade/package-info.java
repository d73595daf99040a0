/**
 * The parts of CornerNet-Saccade's test procedure (princeton-vl/CornerNet-Lite {@code core/test/cornernet_saccade.py})
 * that do not touch the network: the 255x255 canvases ({@link io.github.keydet.core.saccade.SaccadeCanvas}), the
 * locations from attention maps and confident boxes and their NMS ({@link
 * io.github.keydet.core.saccade.SaccadeLocations}), and the settings with the config's defaults ({@link
 * io.github.keydet.core.saccade.SaccadeSettings}). {@code io.github.keydet.core.pipeline.SaccadeProcedure} runs the
 * procedure over a network. All positions are image pixels.
 */
package io.github.keydet.core.saccade;
