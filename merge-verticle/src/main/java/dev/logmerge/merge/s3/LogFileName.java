package dev.logmerge.merge.s3;

import dev.logmerge.merge.engine.Compression;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The name (S3 key) of an input log file: {@code YYYY-MM-DD_<serial>} with an optional {@code .log}
 * or {@code .txt} and an optional {@link Compression} suffix, e.g. {@code 2019-08-17_1}, {@code
 * 2019-08-18_0.log}, {@code 2019-08-18_3.txt.gz}. The date must be a real calendar date and the
 * serial decimal digits; any other key is not an input.
 *
 * <p>Natural order: by date, then by serial as a number ({@code _2} before {@code _10}, serials of
 * any length), then by the whole key, so that keys differing only in leading zeros or suffix still
 * have a stable order.
 */
public final class LogFileName implements Comparable<LogFileName> {
  private static final Pattern FORMAT =
      Pattern.compile(
          "([0-9]{4})-([0-9]{2})-([0-9]{2})_([0-9]+)(?:\\.log|\\.txt)?("
              + Arrays.stream(Compression.values())
                  .filter(c -> c != Compression.NONE)
                  .map(c -> Pattern.quote(c.suffix()))
                  .collect(Collectors.joining("|"))
              + ")?");

  private static final Comparator<LogFileName> NATURAL_ORDER =
      Comparator.comparing(LogFileName::date)
          .thenComparing(LogFileName::compareSerials)
          .thenComparing(LogFileName::key);

  private final String key;
  private final LocalDate date;
  private final String serial;
  private final Compression compression;

  private LogFileName(String key, LocalDate date, String serial, Compression compression) {
    this.key = key;
    this.date = date;
    this.serial = serial;
    this.compression = compression;
  }

  /** The key as an input's name, or empty when the key does not name an input file. */
  public static Optional<LogFileName> parse(String key) {
    Matcher m = FORMAT.matcher(key);
    if (!m.matches()) {
      return Optional.empty();
    }
    LocalDate date;
    try {
      date =
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
    } catch (DateTimeException e) {
      return Optional.empty(); // e.g. 2019-13-01 or 2019-02-29
    }
    return Optional.of(new LogFileName(key, date, m.group(4), Compression.ofFileName(key)));
  }

  /** The whole S3 key. */
  public String key() {
    return key;
  }

  /** The day the file belongs to. */
  public LocalDate date() {
    return date;
  }

  /** The serial number's digits as written in the key (possibly longer than a {@code long}). */
  public String serial() {
    return serial;
  }

  /** How the content is encoded, as the key's suffix says. */
  public Compression compression() {
    return compression;
  }

  @Override
  public int compareTo(LogFileName other) {
    return NATURAL_ORDER.compare(this, other);
  }

  /**
   * Compares serials numerically without parsing them, since they may not fit in a {@code long}.
   */
  private static int compareSerials(LogFileName a, LogFileName b) {
    String x = withoutLeadingZeros(a.serial);
    String y = withoutLeadingZeros(b.serial);
    return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
  }

  private static String withoutLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogFileName other && key.equals(other.key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return key;
  }
}
