package io.github.keydet.core.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.keydet.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads COCO annotations files ({@code instances_*.json}, {@code person_keypoints_*.json}) and results files, and
 * writes results files, with Jackson: the one COCO reader, for evaluation and for training targets. Malformed input
 * throws
 * {@link InvalidInputException} naming the problem and, for JSON syntax errors, the line and column. NaN and
 * Infinity (as Python's {@code json} writes them) are parsed so that they can be reported as such.
 */
public final class CocoJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(new JsonFactory())
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private CocoJson() {}

  /**
   * Reads an annotations file ({@code images}, {@code categories}, {@code annotations}).
   *
   * @throws InvalidInputException if it cannot be read or does not have COCO's structure
   */
  public static CocoDataset readAnnotations(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readAnnotations(in, file.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read COCO annotations " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads an instances file from a stream; {@code source} names it in messages. */
  public static CocoDataset readAnnotations(InputStream in, String source) {
    JsonNode root = parse(in, source);
    if (!root.isObject()) {
      throw new InvalidInputException(source + ": annotations file must be a JSON object");
    }
    List<CocoImage> images = new ArrayList<>();
    for (JsonNode n : array(root, "images", source)) {
      images.add(new CocoImage(
          longField(n, "id", source + " images"),
          n.path("width").asInt(0),
          n.path("height").asInt(0),
          n.path("file_name").asText("")));
    }
    List<CocoCategory> cats = new ArrayList<>();
    for (JsonNode n : array(root, "categories", source)) {
      cats.add(new CocoCategory(longField(n, "id", source + " categories"), n.path("name").asText("")));
    }
    List<CocoAnnotation> anns = new ArrayList<>();
    JsonNode annNode = root.get("annotations");
    if (annNode != null && !annNode.isNull()) {
      if (!annNode.isArray()) {
        throw new InvalidInputException(source + ": 'annotations' must be an array");
      }
      int i = 0;
      for (JsonNode n : annNode) {
        String where = source + " annotations[" + i + "]";
        long id = longField(n, "id", where);
        double[] bbox = box(n.get("bbox"), where);
        if (bbox[2] < 0 || bbox[3] < 0) {
          throw new InvalidInputException(where + " (id " + id + "): negative bbox size " + n.get("bbox"));
        }
        JsonNode area = n.get("area");
        if (area != null && !area.isNumber()) {
          throw new InvalidInputException(where + ": 'area' is not a number: " + area);
        }
        Segmentation seg = segmentation(n.get("segmentation"), where);
        JsonNode numKp = n.get("num_keypoints");
        if (numKp != null && !numKp.isIntegralNumber()) {
          throw new InvalidInputException(where + ": 'num_keypoints' is not an integer: " + numKp);
        }
        anns.add(new CocoAnnotation(
            id,
            longField(n, "image_id", where),
            longField(n, "category_id", where),
            bbox,
            area == null ? Double.NaN : area.asDouble(),
            n.path("iscrowd").asInt(0) != 0,
            seg,
            keypoints(n.get("keypoints"), where),
            numKp == null ? -1 : numKp.asInt()));
        i++;
      }
    }
    return new CocoDataset(images, cats, anns);
  }

  /** Reads a results file (a JSON array of {image_id, category_id, score, bbox and / or segmentation or keypoints}). */
  public static List<CocoResult> readResults(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return readResults(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Reads a results file from a stream, one element at a time; {@code source} names it in messages. */
  public static List<CocoResult> readResults(InputStream in, String source) {
    List<CocoResult> out = new ArrayList<>();
    try (JsonParser p = MAPPER.getFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new InvalidInputException(
            source + ": results file must be a JSON array " + where(p.currentLocation()));
      }
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
          throw new InvalidInputException(
              source + ": results[" + i + "] must be an object " + where(p.currentLocation()));
        }
        JsonNode n = MAPPER.readTree(p);
        out.add(result(n, source + " results[" + i + "]"));
        i++;
      }
    } catch (JsonProcessingException e) {
      throw malformed(source, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
    return out;
  }

  /** Writes results in COCO's format (polygon segmentations as lists, RLE as compressed strings). */
  public static void writeResults(List<CocoResult> results, OutputStream out) {
    var arr = MAPPER.createArrayNode();
    for (CocoResult r : results) {
      var o = arr.addObject();
      o.put("image_id", r.imageId());
      o.put("category_id", r.categoryId());
      if (r.bbox() != null) {
        var b = o.putArray("bbox");
        for (double v : r.bbox()) {
          b.add(v);
        }
      }
      o.put("score", r.score());
      if (r.keypoints() != null) {
        var k = o.putArray("keypoints");
        for (double v : r.keypoints()) {
          k.add(v);
        }
      }
      if (r.segmentation() instanceof Segmentation.Polygons ps) {
        var s = o.putArray("segmentation");
        for (double[] poly : ps.polygons()) {
          var pa = s.addArray();
          for (double v : poly) {
            pa.add(v);
          }
        }
      } else if (r.segmentation() instanceof Segmentation.RunLength rl) {
        var s = o.putObject("segmentation");
        s.putArray("size").add(rl.rle().height()).add(rl.rle().width());
        s.put("counts", rl.rle().toCompressedString());
      }
    }
    try {
      MAPPER.writeValue(out, arr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results", e);
    }
  }

  private static CocoResult result(JsonNode n, String where) {
    long imageId = longField(n, "image_id", where);
    long catId = longField(n, "category_id", where);
    JsonNode s = n.get("score");
    if (s == null || !s.isNumber()) {
      throw new InvalidInputException(where + ": missing numeric 'score'");
    }
    double score = s.asDouble();
    if (Double.isNaN(score)) {
      throw new InvalidInputException(where + ": score is NaN");
    }
    JsonNode b = n.get("bbox");
    double[] bbox = b == null || b.isNull() || (b.isArray() && b.isEmpty()) ? null : box(b, where);
    if (bbox != null && (bbox[2] < 0 || bbox[3] < 0)) {
      throw new InvalidInputException(
          where + ": bbox has negative size w=" + bbox[2] + ", h=" + bbox[3]);
    }
    Segmentation seg = segmentation(n.get("segmentation"), where);
    double[] kps = keypoints(n.get("keypoints"), where);
    if (bbox == null && seg == null && kps == null) {
      throw new InvalidInputException(where + ": needs 'bbox', 'segmentation' or 'keypoints'");
    }
    if (kps != null && kps.length % 3 != 0) {
      throw new InvalidInputException(
          where + ": keypoints must be (x, y, v) triplets, got " + kps.length + " numbers");
    }
    return new CocoResult(imageId, catId, bbox, score, seg, kps);
  }

  private static double[] keypoints(JsonNode k, String where) {
    if (k == null || k.isNull() || (k.isArray() && k.isEmpty())) {
      return null;
    }
    if (!k.isArray()) {
      throw new InvalidInputException(where + ": 'keypoints' must be an array [x1, y1, v1, ...]");
    }
    double[] out = new double[k.size()];
    for (int i = 0; i < out.length; i++) {
      if (!k.get(i).isNumber() || !Double.isFinite(k.get(i).asDouble())) {
        throw new InvalidInputException(where + ": keypoints[" + i + "] is not a finite number: " + k.get(i));
      }
      out[i] = k.get(i).asDouble();
    }
    return out;
  }

  private static double[] box(JsonNode b, String where) {
    if (b == null || !b.isArray() || b.size() != 4) {
      throw new InvalidInputException(where + ": 'bbox' must be an array of 4 numbers [x, y, w, h]");
    }
    double[] out = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!b.get(i).isNumber()) {
        throw new InvalidInputException(where + ": bbox[" + i + "] is not a number: " + b.get(i));
      }
      out[i] = b.get(i).asDouble();
      if (!Double.isFinite(out[i])) {
        throw new InvalidInputException(where + ": bbox[" + i + "] is not finite: " + out[i]);
      }
    }
    return out;
  }

  private static Segmentation segmentation(JsonNode s, String where) {
    if (s == null || s.isNull()) {
      return null;
    }
    if (s.isArray()) {
      List<double[]> polys = new ArrayList<>();
      for (JsonNode poly : s) {
        if (!poly.isArray()) {
          throw new InvalidInputException(where + ": polygon segmentation must be a list of lists of numbers");
        }
        double[] xy = new double[poly.size()];
        for (int i = 0; i < xy.length; i++) {
          if (!poly.get(i).isNumber()) {
            throw new InvalidInputException(where + ": polygon coordinate is not a number: " + poly.get(i));
          }
          xy[i] = poly.get(i).asDouble();
        }
        if (xy.length % 2 != 0) {
          throw new InvalidInputException(where + ": polygon has an odd number of coordinates " + xy.length);
        }
        polys.add(xy);
      }
      return polys.isEmpty() ? null : new Segmentation.Polygons(polys);
    }
    if (s.isObject()) {
      JsonNode size = s.get("size");
      JsonNode counts = s.get("counts");
      if (size == null || !size.isArray() || size.size() != 2 || counts == null) {
        throw new InvalidInputException(where + ": RLE segmentation needs 'size' [h, w] and 'counts'");
      }
      int h = size.get(0).asInt();
      int w = size.get(1).asInt();
      if (counts.isTextual()) {
        return new Segmentation.RunLength(Rle.fromString(counts.asText(), h, w));
      }
      if (counts.isArray()) {
        long[] c = new long[counts.size()];
        for (int i = 0; i < c.length; i++) {
          c[i] = counts.get(i).asLong();
        }
        return new Segmentation.RunLength(Rle.of(h, w, c));
      }
      throw new InvalidInputException(where + ": RLE 'counts' must be a string or a list");
    }
    throw new InvalidInputException(where + ": 'segmentation' must be a list of polygons or an RLE object");
  }

  private static Iterable<JsonNode> array(JsonNode root, String field, String source) {
    JsonNode n = root.get(field);
    if (n == null || !n.isArray()) {
      throw new InvalidInputException(source + ": missing array '" + field + "'");
    }
    return n;
  }

  private static long longField(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber()) {
      if (v != null && v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
        return v.asLong();
      }
      throw new InvalidInputException(where + ": missing integer '" + field + "'" + (v == null ? "" : ", got " + v));
    }
    return v.asLong();
  }

  private static JsonNode parse(InputStream in, String source) {
    try {
      JsonNode n = MAPPER.readTree(in);
      if (n == null || n.isMissingNode()) {
        throw new InvalidInputException(source + ": empty JSON");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw malformed(source, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  private static InvalidInputException malformed(String source, JsonProcessingException e) {
    return new InvalidInputException(
        source + " is not valid JSON: malformed JSON " + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
  }

  private static String where(JsonLocation loc) {
    return loc == null ? "" : "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
