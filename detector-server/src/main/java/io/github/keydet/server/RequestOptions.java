package io.github.keydet.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one detection request, from the query string ({@code ?threshold=0.5&maxDetections=10&flip=true
 * &scales=0.75,1}) and/or a JSON object (the multipart field {@code options}: {@code {"threshold": 0.5,
 * "maxDetections": 10, "flip": true, "scales": [0.75, 1]}}); the JSON wins where both give a value. An option not
 * in {@link #NAMES} or a value out of range is an {@link ApiException} (400) naming it.
 *
 * @param threshold score threshold in [0, 1]: detections scoring below it are left out
 * @param maxDetections at most this many detections, best first, in [1, the server's --max-detections]
 * @param flip CenterNet's flip test (about twice the inference time)
 * @param scales test scales, each in [{@value #MIN_SCALE}, {@value #MAX_SCALE}], at most {@value #MAX_SCALES}
 */
public record RequestOptions(float threshold, int maxDetections, boolean flip, List<Double> scales) {
  /** The option names a request may give. */
  public static final List<String> NAMES = List.of("threshold", "maxDetections", "flip", "scales");

  public static final double MIN_SCALE = 0.25;
  public static final double MAX_SCALE = 2.0;
  public static final int MAX_SCALES = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Defensive copy. */
  public RequestOptions {
    scales = List.copyOf(scales);
  }

  /**
   * Parses a request's options over the server's defaults.
   *
   * @param query the query parameters (name to values)
   * @param json the JSON options object, or {@code null} when the request has none
   * @param defaults the server's defaults (threshold, max detections, flip, scales)
   * @param maxDetectionsLimit the largest {@code maxDetections} a request may ask for
   */
  public static RequestOptions parse(
      Map<String, List<String>> query, String json, RequestOptions defaults, int maxDetectionsLimit) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      checkName(e.getKey(), "query parameter");
      if (e.getValue().size() > 1) {
        throw ApiException.badRequest("invalid_option",
            "option '" + e.getKey() + "' given " + e.getValue().size() + " times; give it once");
      }
      values.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
    }
    if (json != null && !json.isBlank()) {
      values.putAll(jsonValues(json));
    }
    float threshold = values.containsKey("threshold")
        ? (float) number("threshold", values.get("threshold")) : defaults.threshold();
    if (!(threshold >= 0 && threshold <= 1)) {
      throw ApiException.badRequest("invalid_option", "threshold must be in [0, 1], got " + values.get("threshold"));
    }
    int maxDetections = defaults.maxDetections();
    if (values.containsKey("maxDetections")) {
      double v = number("maxDetections", values.get("maxDetections"));
      if (v != Math.rint(v) || v < 1 || v > maxDetectionsLimit) {
        throw ApiException.badRequest("invalid_option", "maxDetections must be a whole number in [1, "
            + maxDetectionsLimit + "] (the server's --max-detections), got " + values.get("maxDetections"));
      }
      maxDetections = (int) v;
    }
    boolean flip = values.containsKey("flip") ? bool("flip", values.get("flip")) : defaults.flip();
    List<Double> scales = values.containsKey("scales") ? scales(values.get("scales")) : defaults.scales();
    return new RequestOptions(threshold, maxDetections, flip, scales);
  }

  private static void checkName(String name, String where) {
    if (!NAMES.contains(name)) {
      throw ApiException.badRequest("unknown_option",
          "unknown option '" + name + "' (" + where + "); known options: " + String.join(", ", NAMES));
    }
  }

  /** The JSON object's fields as strings (arrays as comma-separated lists). */
  private static Map<String, String> jsonValues(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("invalid_options_json",
          "options are not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("invalid_options_json", "options must be a JSON object, got " + json.strip());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      checkName(e.getKey(), "JSON options");
      JsonNode v = e.getValue();
      if (v.isArray()) {
        List<String> items = new ArrayList<>();
        v.forEach(item -> items.add(item.asText()));
        out.put(e.getKey(), String.join(",", items));
      } else if (v.isValueNode() && !v.isNull()) {
        out.put(e.getKey(), v.asText());
      } else {
        throw ApiException.badRequest("invalid_option", "option '" + e.getKey() + "' must be a number, boolean"
            + " or list, got " + v);
      }
    }
    return out;
  }

  private static double number(String name, String text) {
    try {
      double v = Double.parseDouble(text.strip());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("invalid_option", name + " must be a number, got '" + text + "'");
  }

  private static boolean bool(String name, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("1") || t.isEmpty()) {
      return true;
    }
    if (t.equals("false") || t.equals("0")) {
      return false;
    }
    throw ApiException.badRequest("invalid_option", name + " must be true or false, got '" + text + "'");
  }

  private static List<Double> scales(String text) {
    List<Double> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      double s = number("scales", part);
      if (s < MIN_SCALE || s > MAX_SCALE) {
        throw ApiException.badRequest("invalid_option",
            "each scale must be in [" + MIN_SCALE + ", " + MAX_SCALE + "], got " + part.strip());
      }
      out.add(s);
    }
    if (out.size() > MAX_SCALES) {
      throw ApiException.badRequest("invalid_option",
          "at most " + MAX_SCALES + " scales, got " + out.size() + ": " + text);
    }
    return out;
  }
}
