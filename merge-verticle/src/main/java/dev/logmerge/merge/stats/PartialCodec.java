package dev.logmerge.merge.stats;

import dev.logmerge.core.stats.StatsRow;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The text form of a day's partial aggregates, as one file-day's aggregator hands the lines of
 * another date to that date's aggregator. Equal content gives an equal string. Version 1:
 *
 * <pre>{@code
 * logmerge-stats-partial/1 <date> <customers>\n
 * <customer> <1xx>,<2xx>,<3xx>,<4xx>,<5xx> <durations> <minutes>\n     (one line per customer)
 * }</pre>
 *
 * <ul>
 *   <li>{@code date} is {@code YYYY-MM-DD}, the UTC date of every request counted;
 *   <li>customers come in ascending (byte) order, each once;
 *   <li>the five numbers are the customer's requests per status class;
 *   <li>{@code durations} lists the customer's distinct durations in milliseconds, ascending,
 *       comma-separated, each followed by {@code x<count>} when more than one request took it;
 *   <li>{@code minutes} lists the minutes of the day (0–1439) in which the customer had requests,
 *       ascending, comma-separated, each followed by {@code d} when every request in it failed (a
 *       down minute).
 * </ul>
 *
 * Numbers are decimal without sign or leading zeros. A partial with no customer is its header line
 * alone. Reading accepts only this one way of writing a content (so reading and writing again gives
 * the same text) and checks that the counts agree: the durations' counts sum to the requests, there
 * are at most as many down minutes as failed requests and as many other minutes as other requests.
 */
final class PartialCodec {
  static final String MAGIC = "logmerge-stats-partial/";
  static final int VERSION = 1;

  private PartialCodec() {}

  static String encode(LocalDate date, DayAggregate day) {
    SortedDay sorted = day.sorted(SortedDay.Order.BY_NAME);
    StringBuilder out = new StringBuilder(64 + 32 * sorted.customerCount());
    out.append(MAGIC).append(VERSION).append(' ').append(date).append(' ');
    out.append(sorted.customerCount()).append('\n');
    for (int rank = 0; rank < sorted.customerCount(); rank++) {
      out.append(sorted.name(rank));
      for (int statusClass = 1; statusClass <= DayAggregate.STATUS_CLASSES; statusClass++) {
        out.append(statusClass == 1 ? ' ' : ',').append(sorted.statusCount(rank, statusClass));
      }
      char separator = ' ';
      for (int i = sorted.durationsFrom(rank); i < sorted.durationsTo(rank); i++) {
        out.append(separator).append(sorted.durationMs(i));
        long count = sorted.durationCount(i);
        if (count > 1) {
          out.append('x').append(count);
        }
        separator = ',';
      }
      separator = ' ';
      for (int i = sorted.minutesFrom(rank); i < sorted.minutesTo(rank); i++) {
        out.append(separator).append(sorted.minuteOfDay(i));
        if (!sorted.anySucceeded(i)) {
          out.append('d');
        }
        separator = ',';
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * Reads what {@link #encode} wrote into a new aggregate.
   *
   * @throws IllegalArgumentException if {@code blob} is not such a partial, or of another date
   */
  static DayAggregate decode(String blob, LocalDate expectedDate) {
    return new Reader(blob).read(expectedDate);
  }

  /** A cursor over the blob; every read checks what it finds. */
  private static final class Reader {
    private final String text;
    private int p;

    Reader(String text) {
      this.text = text;
    }

    DayAggregate read(LocalDate expectedDate) {
      try {
        return readChecked(expectedDate);
      } catch (ArithmeticException e) {
        throw malformed("counts that overflow");
      }
    }

    private DayAggregate readChecked(LocalDate expectedDate) {
      if (!text.startsWith(MAGIC)) {
        throw malformed("no " + MAGIC + " header");
      }
      p = MAGIC.length();
      long version = number();
      if (version != VERSION) {
        throw malformed("unsupported version " + version);
      }
      expect(' ');
      LocalDate date = date();
      if (!date.equals(expectedDate)) {
        throw malformed("a partial of " + date + ", not of " + expectedDate);
      }
      expect(' ');
      long customers = number();
      expect('\n');
      DayAggregate day = new DayAggregate();
      String previous = null;
      for (long i = 0; i < customers; i++) {
        String name = customerName();
        if (previous != null && previous.compareTo(name) >= 0) {
          throw malformed("customer " + name + " out of order after " + previous);
        }
        previous = name;
        readCustomer(day, day.customer(name));
      }
      if (p != text.length()) {
        throw malformed("more than " + customers + " customers");
      }
      return day;
    }

    private void readCustomer(DayAggregate day, int customer) {
      long requests = 0;
      for (int statusClass = 1; statusClass <= DayAggregate.STATUS_CLASSES; statusClass++) {
        expect(statusClass == 1 ? ' ' : ',');
        long count = number();
        day.addStatusCount(customer, statusClass, count);
        requests = Math.addExact(requests, count);
      }
      long failed = day.statusCount(customer, 5);
      long counted = 0;
      long previous = -1;
      do {
        expect(previous < 0 ? ' ' : ',');
        long ms = number();
        long count = 1;
        if (peek() == 'x') {
          p++;
          count = number();
          if (count < 2) {
            throw malformed("a count of " + count + " written out");
          }
        }
        if (ms <= previous || ms > Integer.MAX_VALUE) {
          throw malformed("bad duration " + ms + "x" + count);
        }
        day.addDuration(customer, (int) ms, count);
        counted = Math.addExact(counted, count);
        previous = ms;
      } while (peek() == ',');
      long minutes = 0;
      long down = 0;
      previous = -1;
      do {
        expect(previous < 0 ? ' ' : ',');
        long minute = number();
        boolean isDown = peek() == 'd';
        if (isDown) {
          p++;
          down++;
        }
        if (minute <= previous || minute >= StatsRow.MINUTES_PER_DAY) {
          throw malformed("bad minute " + minute);
        }
        day.addMinute(customer, (int) minute, !isDown);
        minutes++;
        previous = minute;
      } while (peek() == ',');
      expect('\n');
      if (requests == 0
          || counted != requests
          || minutes > requests
          || down > failed
          || minutes - down > requests - failed) {
        throw malformed("counts that do not agree before offset " + p);
      }
    }

    private String customerName() {
      int start = p;
      while (p < text.length() && p - start <= RequestLineParser.MAX_CUSTOMER_LENGTH) {
        if (!RequestLineParser.isCustomerCharacter(text.charAt(p))) {
          break;
        }
        p++;
      }
      if (p == start || p - start > RequestLineParser.MAX_CUSTOMER_LENGTH) {
        throw malformed("no customer at offset " + start);
      }
      return text.substring(start, p);
    }

    private LocalDate date() {
      int end = Math.min(p + 10, text.length());
      try {
        LocalDate date = LocalDate.parse(text.substring(p, end));
        p = end;
        return date;
      } catch (DateTimeParseException e) {
        throw malformed("no date at offset " + p);
      }
    }

    /** A decimal number without sign or leading zeros. */
    private long number() {
      int start = p;
      long value = 0;
      while (p < text.length() && text.charAt(p) >= '0' && text.charAt(p) <= '9') {
        if (value > (Long.MAX_VALUE - 9) / 10) {
          throw malformed("number too large at offset " + start);
        }
        value = value * 10 + (text.charAt(p++) - '0');
      }
      if (p == start || (text.charAt(start) == '0' && p - start > 1)) {
        throw malformed("no number at offset " + start);
      }
      return value;
    }

    private int peek() {
      return p < text.length() ? text.charAt(p) : -1;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw malformed(
            "expected " + (c == '\n' ? "a newline" : "'" + c + "'") + " at offset " + p);
      }
      p++;
    }

    private static IllegalArgumentException malformed(String why) {
      return new IllegalArgumentException("not a statistics partial: " + why);
    }
  }
}
