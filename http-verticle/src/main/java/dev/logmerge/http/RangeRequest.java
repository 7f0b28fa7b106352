package dev.logmerge.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header asks of a representation of known size (RFC 9110 §14.1.2). Only a
 * single byte range is honoured; a multi-range or malformed header is ignored and the whole
 * representation sent, as the RFC allows.
 */
sealed interface RangeRequest {
  /** No usable range: send everything with 200. */
  record Whole() implements RangeRequest {}

  /** Bytes {@code first..last}, both included, within the representation: send them with 206. */
  record Slice(long first, long last) implements RangeRequest {
    long length() {
      return last - first + 1;
    }

    /** The S3 GetObject {@code Range} for these bytes. */
    String toHeader() {
      return "bytes=" + first + "-" + last;
    }

    String contentRange(long size) {
      return "bytes " + first + "-" + last + "/" + size;
    }
  }

  /** A well-formed range that lies wholly outside the representation: 416. */
  record Unsatisfiable() implements RangeRequest {}

  /**
   * {@code first-last}, {@code first-} or {@code -suffixLength}; at most 18 digits, so no overflow.
   */
  Pattern SINGLE_RANGE = Pattern.compile("bytes=[ \\t]*([0-9]{1,18})?-([0-9]{1,18})?[ \\t]*");

  /**
   * Interprets a {@code Range} header for a representation of {@code size} bytes.
   *
   * @param header the header value, or null when absent
   */
  static RangeRequest of(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    Matcher m = SINGLE_RANGE.matcher(header.toLowerCase(Locale.ROOT));
    if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
      return new Whole();
    }
    if (m.group(1) == null) {
      long suffix = Long.parseLong(m.group(2));
      // a suffix longer than the representation means all of it
      return suffix == 0 || size == 0
          ? new Unsatisfiable()
          : new Slice(Math.max(0, size - suffix), size - 1);
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2) == null ? Long.MAX_VALUE : Long.parseLong(m.group(2));
    if (last < first) {
      return new Whole();
    }
    return first >= size ? new Unsatisfiable() : new Slice(first, Math.min(last, size - 1));
  }
}
