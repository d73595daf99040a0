package io.github.keydet.core.decode;

import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import java.util.List;
import java.util.Map;

/**
 * CenterNet's {@code multi_pose} rule ({@link MultiPoseDecoder}) on the heads of a TF Object-Detection-API
 * CenterNet pose model, whose pairs are (y, x) where CenterNet's are (x, y): {@code hm} = {@code center}, {@code
 * wh} = {@code box_scale} as (w, h), {@code reg} = {@code box_offset} as (x, y), {@code hps} = {@code
 * kpt_regress} as (x, y) per joint, {@code hm_hp} = {@code kpt_heatmap}. CenterNet has one 2-channel joint
 * offset for all joints, these models one per joint, so no {@code hp_offset} is passed: heat-map joints sit at
 * their cell plus 0.5, as {@code multi_pose} places them without that head. The heads are copied (channels
 * reordered) into NCHW arrays, [N, C, H, W]; candidates are in output cells. Stateless and thread-safe.
 */
public final class TfodAsMultiPose implements HeadDecoder {
  private final MultiPoseDecoder decoder;

  /** Wraps a multi_pose decoder configured for the model's layout. */
  public TfodAsMultiPose(MultiPoseDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public List<List<Candidate>> decode(Heads heads) {
    HeadView center = heads.view("center");
    HeadView kpt = heads.view("kpt_regress");
    int[] swapPairs = new int[kpt.channels()];
    for (int c = 0; c < swapPairs.length; c++) {
      swapPairs[c] = c ^ 1;
    }
    int[] same = new int[heads.view("kpt_heatmap").channels()];
    for (int c = 0; c < same.length; c++) {
      same[c] = c;
    }
    Layout layout = decoder.config().layout();
    Map<String, HeadView> views = Map.of(
        "hm", center,
        "wh", permuted("wh", heads.view("box_scale"), new int[] {1, 0}, layout),
        "reg", permuted("reg", heads.view("box_offset"), new int[] {1, 0}, layout),
        "hps", permuted("hps", kpt, swapPairs, layout),
        "hm_hp", permuted("hm_hp", heads.view("kpt_heatmap"), same, layout));
    return decoder.decode(Heads.ofViews(views, layout));
  }

  /** Channel c of the result = channel {@code from[c]} of {@code view}, in the decoder's layout. */
  private static HeadView permuted(String name, HeadView view, int[] from, Layout layout) {
    int n = view.batch();
    int h = view.height();
    int w = view.width();
    int ch = from.length;
    float[] out = new float[n * ch * h * w];
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < ch; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int i = layout == Layout.NCHW ? ((b * ch + c) * h + y) * w + x : ((b * h + y) * w + x) * ch + c;
            out[i] = view.get(b, from[c], y, x);
          }
        }
      }
    }
    long[] shape = layout == Layout.NCHW ? new long[] {n, ch, h, w} : new long[] {n, h, w, ch};
    return HeadView.of(name, out, shape, layout);
  }
}
