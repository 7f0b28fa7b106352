package dev.logmerge.merge.stats;

/**
 * Recognises a request line in bytes, without making a String or any object per line. A request
 * line is
 *
 * <pre>{@code <timestamp> <LEVEL> <customer> <METHOD> <path> <status> <N>ms[ <free text>]}</pre>
 *
 * with fields separated by exactly one space (0x20), where
 *
 * <ul>
 *   <li><b>timestamp</b> is {@code YYYY-MM-DDTHH:MM:SS}, optionally {@code .} and one or more
 *       digits of fraction, then {@code Z} or an offset {@code +HH:MM} / {@code -HH:MM} (offset
 *       hours 00–23, minutes 00–59). Month 01–12, day valid for the month (29 February only in leap
 *       years of the proleptic Gregorian calendar), hour 00–23, minute 00–59, second 00–60. The
 *       line's day and minute are those of the instant in UTC: {@code 2019-08-19T00:30:00+02:00} is
 *       minute 22:30 of 2019-08-18;
 *   <li><b>LEVEL</b> is a token: one or more bytes, none a space;
 *   <li><b>customer</b> is 1–64 characters of {@code [A-Za-z0-9_.-]};
 *   <li><b>METHOD</b> is one or more letters {@code A–Z};
 *   <li><b>path</b> is a token;
 *   <li><b>status</b> is exactly three digits, 100–599;
 *   <li><b>duration</b> is one or more digits (leading zeros allowed) then {@code ms}, at most
 *       2,147,483,647;
 *   <li>then the line ends, or a space follows and anything after it is free text (possibly empty).
 * </ul>
 *
 * A line is the bytes before its {@code '\n'}; one {@code '\r'} at its end (CRLF files) is not part
 * of it. Only the first {@link #RECOGNISED_BYTES} bytes of a line are looked at: a longer line is a
 * request when its fields and the space after the duration lie within them (free text may be of any
 * length). Every other line (other timestamp forms such as {@code 2019-08-19:14:05:00 ip agent
 * uri}, blank lines, a status of 600, ...) is not a request: an unparsed line.
 *
 * <p>One instance is reused line after line; after a {@code parse} method answered true, the
 * accessors describe that line. Not thread-safe.
 */
public final class RequestLineParser {
  /** How many bytes at the start of a line decide whether it is a request. */
  public static final int RECOGNISED_BYTES = 64 * 1024;

  public static final int MAX_CUSTOMER_LENGTH = 64;

  private static final int MINUTES_PER_DAY = 24 * 60;
  private static final boolean[] CUSTOMER_CHARACTERS = customerCharacters();

  private long epochDay;
  private int minuteOfDay;
  private int customerStart;
  private int customerEnd;
  private int status;
  private int durationMs;

  /**
   * Reads one whole line.
   *
   * @param to the index of the line's {@code '\n'}, or the end of the input for a last line without
   *     one
   * @return whether {@code bytes[from, to)} is a request line
   */
  public boolean parse(byte[] bytes, int from, int to) {
    int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
    if (end - from > RECOGNISED_BYTES) {
      return parseFields(bytes, from, from + RECOGNISED_BYTES, true);
    }
    return parseFields(bytes, from, end, false);
  }

  /**
   * Reads the start of a line that goes on beyond {@code to} (at least {@link #RECOGNISED_BYTES}
   * bytes of it, or all of them if fewer are given).
   *
   * @return whether the line is a request line
   */
  public boolean parseStartOfLongLine(byte[] bytes, int from, int to) {
    return parseFields(bytes, from, Math.min(to, from + RECOGNISED_BYTES), true);
  }

  /** The line's UTC day, as {@link java.time.LocalDate#toEpochDay()} counts days. */
  public long epochDay() {
    return epochDay;
  }

  /** The line's UTC minute of the day, 0–1439. */
  public int minuteOfDay() {
    return minuteOfDay;
  }

  /** Where the customer starts in the parsed bytes. */
  public int customerStart() {
    return customerStart;
  }

  /** Where the customer ends (exclusive) in the parsed bytes. */
  public int customerEnd() {
    return customerEnd;
  }

  /** The status, 100–599. */
  public int status() {
    return status;
  }

  /** The duration in milliseconds, 0 to {@link Integer#MAX_VALUE}. */
  public int durationMs() {
    return durationMs;
  }

  /**
   * @param continues whether the line goes on after {@code end}: then the fields must end with a
   *     space before {@code end}
   */
  private boolean parseFields(byte[] bytes, int from, int end, boolean continues) {
    int p = parseTimestamp(bytes, from, end);
    if (p < 0) {
      return false;
    }
    p = skipToken(bytes, p, end); // level
    if (p < 0) {
      return false;
    }
    int start = p;
    while (p < end && p - start <= MAX_CUSTOMER_LENGTH && CUSTOMER_CHARACTERS[bytes[p] & 0xFF]) {
      p++;
    }
    if (p == start || p - start > MAX_CUSTOMER_LENGTH || !isSpace(bytes, p, end)) {
      return false;
    }
    customerStart = start;
    customerEnd = p;
    start = ++p;
    while (p < end && bytes[p] >= 'A' && bytes[p] <= 'Z') {
      p++;
    }
    if (p == start || !isSpace(bytes, p, end)) {
      return false;
    }
    p = skipToken(bytes, p + 1, end); // path
    if (p < 0 || end - p < 4 || bytes[p + 3] != ' ') {
      return false;
    }
    int code = threeDigits(bytes, p);
    if (code < 100 || code > 599) {
      return false;
    }
    p += 4;
    start = p;
    long millis = 0;
    while (p < end && isDigit(bytes[p])) {
      millis = millis * 10 + (bytes[p++] - '0');
      if (millis > Integer.MAX_VALUE) {
        return false;
      }
    }
    if (p == start || end - p < 2 || bytes[p] != 'm' || bytes[p + 1] != 's') {
      return false;
    }
    p += 2;
    if (p == end ? continues : bytes[p] != ' ') {
      return false;
    }
    status = code;
    durationMs = (int) millis;
    return true;
  }

  /**
   * Reads the timestamp and the space after it, setting the UTC day and minute.
   *
   * @return the index after the space, or -1
   */
  private int parseTimestamp(byte[] bytes, int from, int end) {
    // the shortest timestamp and its space: YYYY-MM-DDTHH:MM:SSZ
    if (end - from < 21
        || bytes[from + 4] != '-'
        || bytes[from + 7] != '-'
        || bytes[from + 10] != 'T'
        || bytes[from + 13] != ':'
        || bytes[from + 16] != ':') {
      return -1;
    }
    int century = twoDigits(bytes, from);
    int yearOfCentury = twoDigits(bytes, from + 2);
    int month = twoDigits(bytes, from + 5);
    int day = twoDigits(bytes, from + 8);
    int hour = twoDigits(bytes, from + 11);
    int minute = twoDigits(bytes, from + 14);
    int second = twoDigits(bytes, from + 17);
    if (century < 0 || yearOfCentury < 0) {
      return -1;
    }
    int year = century * 100 + yearOfCentury;
    if (month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour > 23
        || minute > 59
        || second > 60
        || Math.min(hour, Math.min(minute, second)) < 0) {
      return -1;
    }
    int p = from + 19;
    if (bytes[p] == '.') {
      int fraction = ++p;
      while (p < end && isDigit(bytes[p])) {
        p++;
      }
      if (p == fraction || p == end) {
        return -1;
      }
    }
    int offsetMinutes;
    if (bytes[p] == 'Z') {
      offsetMinutes = 0;
      p++;
    } else if ((bytes[p] == '+' || bytes[p] == '-') && end - p >= 6 && bytes[p + 3] == ':') {
      int offsetHour = twoDigits(bytes, p + 1);
      int offsetMinute = twoDigits(bytes, p + 4);
      if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) {
        return -1;
      }
      offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      return -1;
    }
    if (!isSpace(bytes, p, end)) {
      return -1;
    }
    long days = EpochDays.of(year, month, day);
    int utcMinute = hour * 60 + minute - offsetMinutes;
    if (utcMinute < 0) {
      days--;
      utcMinute += MINUTES_PER_DAY;
    } else if (utcMinute >= MINUTES_PER_DAY) {
      days++;
      utcMinute -= MINUTES_PER_DAY;
    }
    epochDay = days;
    minuteOfDay = utcMinute;
    return p + 1;
  }

  /** Skips a non-empty token and the space after it; returns the index after the space, or -1. */
  private static int skipToken(byte[] bytes, int from, int end) {
    int p = from;
    while (p < end && bytes[p] != ' ') {
      p++;
    }
    return p == from || p == end ? -1 : p + 1;
  }

  private static boolean isSpace(byte[] bytes, int p, int end) {
    return p < end && bytes[p] == ' ';
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** The two digits at {@code p} as a number, or a negative number if either is not a digit. */
  private static int twoDigits(byte[] bytes, int p) {
    int tens = bytes[p] - '0';
    int units = bytes[p + 1] - '0';
    if ((tens | units | (9 - tens) | (9 - units)) < 0) {
      return -1;
    }
    return tens * 10 + units;
  }

  private static int threeDigits(byte[] bytes, int p) {
    int hundreds = bytes[p] - '0';
    int rest = twoDigits(bytes, p + 1);
    if (hundreds < 0 || hundreds > 9 || rest < 0) {
      return -1;
    }
    return hundreds * 100 + rest;
  }

  /** Whether {@code c} may appear in a customer id: {@code [A-Za-z0-9_.-]}. */
  static boolean isCustomerCharacter(char c) {
    return c < CUSTOMER_CHARACTERS.length && CUSTOMER_CHARACTERS[c];
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> EpochDays.isLeapYear(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  private static boolean[] customerCharacters() {
    boolean[] allowed = new boolean[256];
    for (int c = 0; c < 256; c++) {
      allowed[c] =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
    }
    return allowed;
  }
}
