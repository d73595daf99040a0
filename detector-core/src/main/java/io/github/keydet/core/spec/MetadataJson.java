package io.github.keydet.core.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two JSON shapes of the model metadata, {@code keydet.labels} (an array of strings) and {@code keydet.heads}
 * (an object of strings), read and written without a JSON library. Why not Jackson, which the SDK uses elsewhere:
 * the metadata is read on every detector build, and a cold Jackson (class loading and initialisation of its
 * ObjectMapper) costs more than the whole rest of reading the spec, a measurable part of the time to the first
 * detection. Strict RFC 8259 for these shapes: whitespace, the escapes {@code \" \\ \/ \b \f \n \r \t \\uXXXX};
 * anything else (other value types, trailing text, a duplicate key) is an {@link IllegalArgumentException} with
 * the position. Stateless.
 */
final class MetadataJson {
  private MetadataJson() {}

  /** A JSON array of strings. */
  static List<String> stringArray(String json) {
    Reader r = new Reader(json);
    List<String> out = new ArrayList<>();
    r.expect('[');
    if (!r.consumeIf(']')) {
      do {
        out.add(r.string());
      } while (r.consumeIf(','));
      r.expect(']');
    }
    r.end();
    return out;
  }

  /** A JSON object whose values are strings, in document order. */
  static Map<String, String> stringObject(String json) {
    Reader r = new Reader(json);
    Map<String, String> out = new LinkedHashMap<>();
    r.expect('{');
    if (!r.consumeIf('}')) {
      do {
        int at = r.pos;
        String key = r.string();
        r.expect(':');
        if (out.put(key, r.string()) != null) {
          throw new IllegalArgumentException("duplicate key \"" + key + "\" at character " + at);
        }
      } while (r.consumeIf(','));
      r.expect('}');
    }
    r.end();
    return out;
  }

  /** {@code values} as a JSON array of strings. */
  static String write(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (String v : values) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      quote(v, sb);
    }
    return sb.append(']').toString();
  }

  /** {@code values} as a JSON object of strings, in the map's order. */
  static String write(Map<String, String> values) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      quote(e.getKey(), sb);
      sb.append(':');
      quote(e.getValue(), sb);
    }
    return sb.append('}').toString();
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A cursor over the text; whitespace is skipped before every token. */
  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    private void skipSpace() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n'
          || s.charAt(pos) == '\r')) {
        pos++;
      }
    }

    private IllegalArgumentException error(String what) {
      String found = pos < s.length() ? "'" + s.charAt(pos) + "'" : "the end";
      return new IllegalArgumentException("expected " + what + " at character " + pos + ", found " + found);
    }

    void expect(char c) {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("'" + c + "'");
      }
      pos++;
    }

    boolean consumeIf(char c) {
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    void end() {
      skipSpace();
      if (pos != s.length()) {
        throw error("the end of the text");
      }
    }

    String string() {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("a string");
      }
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("'\"'");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("an escaped control character");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("an escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("four hex digits");
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(s.charAt(pos), 16);
              if (d < 0) {
                throw error("a hex digit");
              }
              v = v * 16 + d;
              pos++;
            }
            sb.append((char) v);
          }
          default -> {
            pos--;
            throw error("an escape character");
          }
        }
      }
    }
  }
}
