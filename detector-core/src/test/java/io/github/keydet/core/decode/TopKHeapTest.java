package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TopKHeap} against a brute force: keep every entry offered, sort them all (value descending with
 * {@code ==} ties, so -0 equals +0, then order ascending) and take the first K.
 */
class TopKHeapTest {

  private record Entry(float value, long order) {}

  /** The heap's order of entries: best first. */
  private static final Comparator<Entry> BEST_FIRST =
      (a, b) -> a.value() > b.value() ? -1 : a.value() < b.value() ? 1 : Long.compare(a.order(), b.order());

  /** The order of {@link TopKHeap#bestFirst}: {@link Float#compare} on values (+0 before -0), then order. */
  private static final Comparator<Entry> BEST_FIRST_LISTED =
      (a, b) -> {
        int c = Float.compare(b.value(), a.value());
        return c != 0 ? c : Long.compare(a.order(), b.order());
      };

  private static List<Entry> oracle(List<Entry> offered, int k) {
    List<Entry> all = new ArrayList<>(offered);
    all.sort(BEST_FIRST);
    return new ArrayList<>(all.subList(0, Math.min(k, all.size())));
  }

  private static List<Entry> listed(TopKHeap heap) {
    List<Entry> out = new ArrayList<>();
    for (int p : heap.bestFirst()) {
      out.add(new Entry(heap.valueAt(p), heap.orderAt(p)));
    }
    return out;
  }

  /** Values from a small set (many ties, both zeros, negatives, infinities). */
  private static float value(Random rnd) {
    float[] pool = {0f, -0f, 0.25f, 0.5f, 1f, -1f, 3f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    return rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : rnd.nextInt(20) / 4f;
  }

  @Test
  void keepsTheBestKOfRandomOffersWithTies() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 2000; trial++) {
      int k = 1 + rnd.nextInt(12);
      int count = rnd.nextInt(60);
      boolean increasing = rnd.nextBoolean(); // PeakScan's case: orders arrive in increasing order
      List<Long> orders = new ArrayList<>();
      for (long o = 0; o < count; o++) {
        orders.add(o * 3);
      }
      if (!increasing) {
        java.util.Collections.shuffle(orders, rnd);
      }
      TopKHeap heap = new TopKHeap(k);
      List<Entry> offered = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Entry e = new Entry(value(rnd), orders.get(i));
        List<Entry> before = oracle(offered, k);
        boolean admits = heap.admits(e.value(), e.order());
        boolean kept = heap.offer(e.value(), e.order());
        offered.add(e);
        List<Entry> after = oracle(offered, k);
        String what = "trial " + trial + ", offer " + i;
        assertThat(kept).as(what).isEqualTo(admits).isEqualTo(after.contains(e) && !before.equals(after));
        assertThat(heap.size()).as(what).isEqualTo(after.size());
        assertThat(heap.isFull()).as(what).isEqualTo(after.size() == k);
        Entry worst = after.get(after.size() - 1);
        assertThat(Float.floatToIntBits(heap.worstValue())).as(what).isEqualTo(Float.floatToIntBits(worst.value()));
        assertThat(heap.worstOrder()).as(what).isEqualTo(worst.order());
      }
      List<Entry> expected = oracle(offered, k);
      expected.sort(BEST_FIRST_LISTED);
      assertThat(listed(heap)).as("trial " + trial).isEqualTo(expected);
    }
  }

  @Test
  void withEqualOrdersTheWorstIsTheKthLargestValue() {
    Random rnd = new Random(5);
    for (int trial = 0; trial < 500; trial++) {
      int k = 1 + rnd.nextInt(20);
      int count = k + rnd.nextInt(100);
      TopKHeap heap = new TopKHeap(k);
      List<Float> values = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        float v = rnd.nextInt(30) / 8f;
        values.add(v);
        float kthBefore = values.size() > k ? sortedDescending(values.subList(0, i)).get(k - 1) : Float.NaN;
        assertThat(heap.offer(v, 0)).isEqualTo(values.size() <= k || v > kthBefore);
      }
      assertThat(heap.worstValue()).isEqualTo(sortedDescending(values).get(k - 1));
    }
  }

  private static List<Float> sortedDescending(List<Float> values) {
    List<Float> s = new ArrayList<>(values);
    s.sort(Comparator.reverseOrder());
    return s;
  }

  @Test
  void heapifyThenPollWorstVisitsAllEntriesWorstFirst() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int count = 1 + rnd.nextInt(200);
      float[] values = new float[count];
      long[] orders = new long[count];
      List<Entry> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        values[i] = value(rnd);
        orders[i] = -i; // as the pruned ExtremeNet aggregation's line queue: negated line numbers
        all.add(new Entry(values[i], orders[i]));
      }
      TopKHeap heap = TopKHeap.heapify(values, orders);
      assertThat(heap.isFull()).isTrue();
      all.sort(BEST_FIRST.reversed());
      List<Entry> polled = new ArrayList<>();
      while (!heap.isEmpty()) {
        float v = heap.worstValue();
        polled.add(new Entry(v, heap.pollWorst()));
      }
      assertThat(polled).as("trial " + trial).isEqualTo(all);
    }
  }

  @Test
  void nanIsNeverAdmitted() {
    TopKHeap heap = new TopKHeap(2);
    heap.offer(1f, 0);
    heap.offer(2f, 1);
    assertThat(heap.admits(Float.NaN, -1)).isFalse();
    assertThat(heap.offer(Float.NaN, -1)).isFalse();
    assertThat(listed(heap)).containsExactly(new Entry(2f, 1), new Entry(1f, 0));
  }
}
