package io.github.keydet.server;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the images (still encoded) and the JSON options of a detection request, within the body limit: a raw
 * body ({@code Content-Type: image/*} or {@code application/octet-stream}) is one image; a {@code
 * multipart/form-data} body has file parts named {@code image} (several for a batch) and an optional text field
 * {@code options}. Anything else is a 415; a body above the limit a 413 (from {@code Content-Length} before
 * reading, or while reading a chunked body); a malformed multipart body, no image, or an unknown field a 400.
 */
final class RequestBodies {
  /** The multipart field that carries the images. */
  static final String IMAGE_FIELD = "image";
  /** The multipart field that carries the JSON options. */
  static final String OPTIONS_FIELD = "options";
  /**
   * The request attribute set once the whole body has been read: an error answer without it closes the connection
   * (the unread rest of the body would otherwise be taken for the next request's start, or the connection dropped
   * under a client that reuses it).
   */
  static final String BODY_READ = "keydet.bodyRead";

  /**
   * One uploaded image, still encoded.
   *
   * @param fileName the part's file name, or {@code null} (a raw body)
   * @param bytes the encoded image
   */
  record Part(String fileName, byte[] bytes) {}

  /**
   * A request's images and options.
   *
   * @param images the images in request order
   * @param optionsJson the {@code options} field, or {@code null}
   */
  record Body(List<Part> images, String optionsJson) {}

  private RequestBodies() {}

  /** Reads the request; {@code maxImages} is 1 for {@code /v1/detect}. */
  static Body read(Context ctx, long maxBodyBytes, int maxImages) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT).strip();
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      throw tooLarge(declared, maxBodyBytes);
    }
    if (type.startsWith("multipart/form-data")) {
      if (!type.contains("boundary=")) {
        throw ApiException.badRequest("malformed_multipart",
            "Content-Type multipart/form-data has no boundary parameter: cannot find the parts");
      }
      return multipart(ctx, maxBodyBytes, maxImages);
    }
    if (type.startsWith("image/") || type.startsWith("application/octet-stream")) {
      Body body = new Body(List.of(new Part(null, readRaw(ctx, maxBodyBytes))), null);
      ctx.attribute(BODY_READ, true);
      return body;
    }
    throw new ApiException(415, "unsupported_media_type", (type.isEmpty() ? "no Content-Type"
        : "Content-Type " + ctx.contentType() + " is not accepted")
        + ": send the image bytes with Content-Type image/* (or application/octet-stream), or multipart/form-data"
        + " with the image in a part named '" + IMAGE_FIELD + "'", 0);
  }

  /**
   * Before an error answer to a request whose body was not read: reads and drops the body when it is at most
   * twice the body limit, so the connection stays usable and the answer arrives (closing a socket with unread
   * input makes the kernel reset it, and the client may lose the answer with it). Returns false when the body is
   * larger or unreadable: then the answer must close the connection.
   */
  static boolean discardUnread(Context ctx, long maxBodyBytes) {
    if (ctx.attribute(BODY_READ) != null) {
      return true;
    }
    long cap = Math.min(Long.MAX_VALUE / 4, Math.max(maxBodyBytes, 1L << 20)) * 2;
    long declared = ctx.req().getContentLengthLong();
    if (declared > cap) {
      return false;
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] buffer = new byte[16 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) >= 0;) {
        total += n;
        if (total > cap) {
          return false;
        }
      }
      ctx.attribute(BODY_READ, true);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] readRaw(Context ctx, long maxBodyBytes) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw tooLarge(-1, maxBodyBytes);
      }
      if (bytes.length == 0) {
        throw ApiException.badRequest("empty_body", "the request body is empty: send the image bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable_body", "cannot read the request body: " + e.getMessage());
    }
  }

  private static Body multipart(Context ctx, long maxBodyBytes, int maxImages) {
    Map<String, List<UploadedFile>> files;
    Map<String, List<String>> fields;
    try {
      files = ctx.uploadedFileMap();
      fields = ctx.formParamMap();
      ctx.attribute(BODY_READ, true); // the parser read it all
    } catch (Exception e) { // Javalin rethrows Jetty's ServletException (a checked exception) unchecked
      Throwable root = e;
      boolean tooLarge = false;
      for (int depth = 0; root != null && depth < 10; depth++) {
        tooLarge |= String.valueOf(root.getMessage()).toLowerCase(Locale.ROOT).contains("exceed");
        if (root.getCause() == null || root.getCause() == root) {
          break;
        }
        root = root.getCause(); // Jetty's own reason, e.g. "400: bad multipart"
      }
      String text = root.getClass().getSimpleName() + ": " + root.getMessage();
      if (tooLarge) {
        throw tooLarge(-1, maxBodyBytes);
      }
      throw ApiException.badRequest("malformed_multipart", "cannot parse the multipart/form-data body: " + text.strip());
    }
    for (String name : files.keySet()) {
      if (!name.equals(IMAGE_FIELD)) {
        throw ApiException.badRequest("unknown_field", "unknown multipart file field '" + name
            + "'; expected '" + IMAGE_FIELD + "' (and the text field '" + OPTIONS_FIELD + "')");
      }
    }
    String options = null;
    for (Map.Entry<String, List<String>> e : fields.entrySet()) {
      if (files.containsKey(e.getKey())) {
        continue; // some containers list file parts as fields too
      }
      if (e.getKey().equals(IMAGE_FIELD)) {
        throw ApiException.badRequest("missing_image", "the multipart field '" + IMAGE_FIELD + "' is a text field,"
            + " not a file part: send the image as a file (a part with a filename, e.g. curl -F image=@photo.jpg)");
      }
      if (!e.getKey().equals(OPTIONS_FIELD)) {
        throw ApiException.badRequest("unknown_field", "unknown multipart field '" + e.getKey() + "'; expected '"
            + IMAGE_FIELD + "' (file) and '" + OPTIONS_FIELD + "' (JSON)");
      }
      if (e.getValue().size() != 1) {
        throw ApiException.badRequest("invalid_options_json", "give the '" + OPTIONS_FIELD + "' field once");
      }
      options = e.getValue().get(0);
    }
    List<UploadedFile> uploads = files.getOrDefault(IMAGE_FIELD, List.of());
    if (uploads.isEmpty()) {
      throw ApiException.badRequest("missing_image",
          "the multipart body has no file part named '" + IMAGE_FIELD + "'");
    }
    if (uploads.size() > maxImages) {
      throw ApiException.tooLarge("too_many_images", maxImages == 1
          ? "one image per /v1/detect request, got " + uploads.size() + "; use /v1/detect/batch for several"
          : uploads.size() + " images, above the limit of " + maxImages + " per batch (--max-batch-images)");
    }
    List<Part> parts = new ArrayList<>(uploads.size());
    for (UploadedFile f : uploads) {
      try (InputStream in = f.content()) {
        parts.add(new Part(f.filename(), in.readAllBytes()));
      } catch (IOException e) {
        throw ApiException.badRequest("unreadable_body", "cannot read part '" + f.filename() + "': " + e.getMessage());
      }
    }
    return new Body(parts, options);
  }

  private static ApiException tooLarge(long declared, long max) {
    return ApiException.tooLarge("body_too_large", "the request body"
        + (declared > 0 ? " is " + declared + " bytes," : " is") + " above the limit of " + max
        + " bytes (--max-body-bytes)");
  }
}
