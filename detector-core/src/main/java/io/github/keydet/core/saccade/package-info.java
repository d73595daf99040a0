/**
 * CornerNet-Saccade's test procedure (princeton-vl/CornerNet-Lite {@code core/test/cornernet_saccade.py}): a
 * downsized full-image run, attention maps and confident boxes as locations, 255x255 crops around them, detection
 * in each and a per-class soft-NMS merge, all in image pixels. {@link io.github.keydet.core.saccade.SaccadeProcedure}
 * runs it over a {@link io.github.keydet.core.pipeline.Network}; {@link io.github.keydet.core.saccade.SaccadeSettings}
 * holds its settings with the config's defaults.
 */
package io.github.keydet.core.saccade;
