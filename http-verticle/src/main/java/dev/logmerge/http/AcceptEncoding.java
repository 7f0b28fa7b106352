package dev.logmerge.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an {@code Accept-Encoding} header (RFC 9110 §12.5.3) says about gzip. A coding is acceptable
 * with a weight ({@code q}) above zero; {@code gzip;q=0} refuses it, and {@code *} stands for every
 * coding the header does not name. No header means identity: clients that can decompress say so.
 */
final class AcceptEncoding {
  /** {@code coding} or {@code coding;q=weight}, with optional white space around the parts. */
  private static final Pattern ENTRY =
      Pattern.compile("[ \\t]*([!#$%&'*+.^_`|~0-9a-z-]+)[ \\t]*(?:;[ \\t]*q=([0-9.]+)[ \\t]*)?");

  /** The qvalue grammar: 0 to 1 with at most three decimals. */
  private static final Pattern WEIGHT = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

  private AcceptEncoding() {}

  /**
   * Whether the header allows a gzip-encoded answer.
   *
   * @param header the header value, or null when absent
   */
  static boolean allowsGzip(String header) {
    if (header == null) {
      return false;
    }
    Double gzip = null;
    Double any = null;
    for (String entry : header.toLowerCase(Locale.ROOT).split(",")) {
      Matcher m = ENTRY.matcher(entry);
      if (!m.matches()) {
        continue; // empty list elements are allowed; anything else unreadable is ignored
      }
      double weight = weightOf(m.group(2));
      switch (m.group(1)) {
        // x-gzip is gzip's old name (RFC 9110 §8.4.1.3); the first mention wins
        case "gzip", "x-gzip" -> gzip = gzip == null ? weight : gzip;
        case "*" -> any = any == null ? weight : any;
        default -> {}
      }
    }
    Double weight = gzip != null ? gzip : any;
    return weight != null && weight > 0;
  }

  /** The weight, 1 when absent; a malformed one counts as 0, so an unreadable "yes" is a no. */
  private static double weightOf(String text) {
    if (text == null) {
      return 1;
    }
    return WEIGHT.matcher(text).matches() ? Double.parseDouble(text) : 0;
  }
}
