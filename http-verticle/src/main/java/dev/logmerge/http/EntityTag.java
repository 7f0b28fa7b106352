package dev.logmerge.http;

import java.util.Arrays;

/**
 * The ETag of a merged result, as stored with the job, and the conditional headers that compare
 * against it ({@code If-None-Match}, {@code If-Range}).
 */
record EntityTag(String value) {
  /** A stored S3 ETag, quoted as HTTP wants it whether or not S3 returned the quotes. */
  static EntityTag of(String stored) {
    boolean quoted = stored.startsWith("\"") || stored.startsWith("W/\"");
    return new EntityTag(quoted ? stored : "\"" + stored + "\"");
  }

  /**
   * The tag of the same file sent gzip-encoded: this one with {@code -gzip} inside the quotes.
   * Weak, because compressing the same bytes again need not give the same bytes (another zlib, on
   * another http JVM): {@code If-None-Match} still matches it, {@code If-Range} never does.
   */
  EntityTag gzipVariant() {
    String opaque = opaque(value);
    return new EntityTag("W/" + opaque.substring(0, opaque.length() - 1) + "-gzip\"");
  }

  /**
   * Whether an {@code If-None-Match} header (null when absent) matches: the client's copy is
   * current.
   */
  boolean matchesAnyOf(String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    // weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored
    return Arrays.stream(ifNoneMatch.split(","))
        .map(String::trim)
        .anyMatch(tag -> tag.equals("*") || opaque(tag).equals(opaque(value)));
  }

  /**
   * Whether a {@code Range} may be honoured under an {@code If-Range} header (null when absent).
   */
  boolean allowsRange(String ifRange) {
    // strong comparison; an HTTP-date cannot be checked (no Last-Modified is sent): whole file
    return ifRange == null || (!value.startsWith("W/") && ifRange.trim().equals(value));
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  @Override
  public String toString() {
    return value;
  }
}
