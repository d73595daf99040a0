package io.github.keydet.core.coco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.target.ExtremePoints;
import io.github.keydet.core.target.ObjectAnnotation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A COCO annotation file in memory: images, categories (with 0-based class indices in category-id order) and
 * annotations by image, in file order. Immutable and thread-safe once read.
 */
public final class CocoDataset {
  private static final Logger LOG = LoggerFactory.getLogger(CocoDataset.class);

  private final Map<Long, CocoImage> images;
  private final Map<Long, CocoCategory> categories;
  private final Map<Long, List<CocoAnnotation>> byImage;

  private CocoDataset(
      Map<Long, CocoImage> images, Map<Long, CocoCategory> categories, Map<Long, List<CocoAnnotation>> byImage) {
    this.images = images;
    this.categories = categories;
    this.byImage = byImage;
  }

  /**
   * Reads a COCO {@code instances_*.json} (or keypoints) file.
   *
   * @throws InvalidInputException if it cannot be read or does not have COCO's structure
   */
  public static CocoDataset read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read COCO annotations " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads COCO JSON from a stream; {@code source} names it in messages. */
  public static CocoDataset read(InputStream in, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new InvalidInputException("COCO annotations " + source + " are not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("images").isArray() || !root.path("annotations").isArray()
        || !root.path("categories").isArray()) {
      throw new InvalidInputException(
          "COCO annotations " + source + " need 'images', 'annotations' and 'categories' arrays");
    }
    Map<Long, CocoImage> images = new LinkedHashMap<>();
    for (JsonNode im : root.get("images")) {
      long id = need(im, "id", source).asLong();
      images.put(id, new CocoImage(id, im.path("file_name").asText(""), im.path("width").asInt(0),
          im.path("height").asInt(0)));
    }
    TreeMap<Long, String> cats = new TreeMap<>();
    for (JsonNode c : root.get("categories")) {
      cats.put(need(c, "id", source).asLong(), c.path("name").asText(""));
    }
    Map<Long, CocoCategory> categories = new LinkedHashMap<>();
    int index = 0;
    for (Map.Entry<Long, String> e : cats.entrySet()) {
      categories.put(e.getKey(), new CocoCategory(e.getKey(), e.getValue(), index++));
    }
    Map<Long, List<CocoAnnotation>> byImage = new LinkedHashMap<>();
    for (JsonNode a : root.get("annotations")) {
      CocoAnnotation ann = parseAnnotation(a, source);
      byImage.computeIfAbsent(ann.imageId(), k -> new ArrayList<>()).add(ann);
    }
    LOG.debug("read {}: {} images, {} categories, {} annotated images", source, images.size(),
        categories.size(), byImage.size());
    Map<Long, List<CocoAnnotation>> frozen = new LinkedHashMap<>();
    byImage.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new CocoDataset(Collections.unmodifiableMap(images), Collections.unmodifiableMap(categories),
        Collections.unmodifiableMap(frozen));
  }

  private static JsonNode need(JsonNode n, String field, String source) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidInputException("COCO annotations " + source + ": an entry has no '" + field + "': " + n);
    }
    return v;
  }

  private static CocoAnnotation parseAnnotation(JsonNode a, String source) {
    JsonNode b = need(a, "bbox", source);
    if (!b.isArray() || b.size() != 4) {
      throw new InvalidInputException("COCO annotation " + a.path("id") + " has bbox " + b + ", expected [x, y, w, h]");
    }
    double[] bbox = new double[4];
    for (int i = 0; i < 4; i++) {
      bbox[i] = b.get(i).asDouble(Double.NaN);
      if (!Double.isFinite(bbox[i])) {
        throw new InvalidInputException("COCO annotation " + a.path("id") + " has a non-finite bbox " + b);
      }
    }
    if (bbox[2] < 0 || bbox[3] < 0) {
      throw new InvalidInputException("COCO annotation " + a.path("id") + " has a negative bbox size " + b);
    }
    List<double[]> polys = new ArrayList<>();
    CocoRle rle = null;
    JsonNode seg = a.get("segmentation");
    if (seg != null && seg.isArray()) {
      for (JsonNode p : seg) {
        double[] v = new double[p.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = p.get(i).asDouble();
        }
        polys.add(v);
      }
    } else if (seg != null && seg.isObject()) {
      JsonNode size = seg.path("size");
      int h = size.path(0).asInt();
      int w = size.path(1).asInt();
      JsonNode counts = seg.path("counts");
      if (counts.isTextual()) {
        rle = CocoRle.fromCompressed(h, w, counts.asText());
      } else {
        long[] c = new long[counts.size()];
        for (int i = 0; i < c.length; i++) {
          c[i] = counts.get(i).asLong();
        }
        rle = new CocoRle(h, w, c);
      }
    }
    float[] kps = null;
    JsonNode k = a.get("keypoints");
    if (k != null && k.isArray() && k.size() > 0) {
      kps = new float[k.size()];
      for (int i = 0; i < kps.length; i++) {
        kps[i] = (float) k.get(i).asDouble();
      }
    }
    return new CocoAnnotation(need(a, "id", source).asLong(), need(a, "image_id", source).asLong(),
        need(a, "category_id", source).asLong(), bbox, a.path("iscrowd").asInt(0) == 1, List.copyOf(polys), rle,
        kps);
  }

  /** Images by id, in file order. */
  public Map<Long, CocoImage> images() {
    return images;
  }

  /** Categories by id, in id order. */
  public Map<Long, CocoCategory> categories() {
    return categories;
  }

  /** Category names in class-index order. */
  public List<String> classNames() {
    List<String> r = new ArrayList<>();
    categories.values().forEach(c -> r.add(c.name()));
    return r;
  }

  /**
   * The image with that id.
   *
   * @throws InvalidInputException if there is none
   */
  public CocoImage image(long id) {
    CocoImage im = images.get(id);
    if (im == null) {
      throw new InvalidInputException("no image with id " + id + " in the annotations (" + images.size()
          + " images)");
    }
    return im;
  }

  /** The annotations of an image, in file order (empty if it has none). */
  public List<CocoAnnotation> annotations(long imageId) {
    return byImage.getOrDefault(imageId, List.of());
  }

  /**
   * An image's annotations as target-encoder input for {@code family}, in file order, crowd regions included
   * (CenterNet's data loader does not filter them): class index from the category, box from {@code bbox}; plus
   * keypoints for {@link ModelFamily#MULTI_POSE} and extreme points (from the polygons, or from the RLE mask) for
   * {@link ModelFamily#EXTREMENET}.
   *
   * @throws InvalidInputException for an unknown category id, or missing keypoints / segmentation the family needs
   */
  public List<ObjectAnnotation> objects(long imageId, ModelFamily family) {
    image(imageId);
    List<ObjectAnnotation> out = new ArrayList<>();
    for (CocoAnnotation a : annotations(imageId)) {
      CocoCategory c = categories.get(a.categoryId());
      if (c == null) {
        throw new InvalidInputException("annotation " + a.id() + " has category id " + a.categoryId()
            + ", not in the categories " + categories.keySet());
      }
      double[] b = a.bbox();
      ObjectAnnotation o = ObjectAnnotation.cocoBox(b[0], b[1], b[2], b[3], c.index());
      if (family == ModelFamily.MULTI_POSE) {
        if (a.keypoints() == null) {
          throw new InvalidInputException("annotation " + a.id() + " has no keypoints; MULTI_POSE needs them");
        }
        o = o.withKeypoints(a.keypoints());
      }
      if (family == ModelFamily.EXTREMENET) {
        o = o.withExtremePoints(extremePoints(a));
      }
      out.add(o);
    }
    return out;
  }

  /** The extreme points of an annotation as ExtremeNet's tool computes them (polygons, else the RLE mask). */
  public static float[] extremePoints(CocoAnnotation a) {
    if (!a.polygons().isEmpty()) {
      int n = 0;
      for (double[] p : a.polygons()) {
        n += p.length;
      }
      double[] all = new double[n];
      int k = 0;
      for (double[] p : a.polygons()) {
        System.arraycopy(p, 0, all, k, p.length);
        k += p.length;
      }
      return ExtremePoints.fromPolygon(all);
    }
    if (a.rle() != null) {
      return ExtremePoints.fromMask(a.rle().decode(), a.rle().height(), a.rle().width());
    }
    throw new InvalidInputException("annotation " + a.id() + " has no segmentation; ExtremeNet needs one");
  }
}
