package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's rules for the dates a client sends, in a body, a path or a query: real calendar days in
 * strict {@code YYYY-MM-DD} form, and ranges that end on or after their start and span at most
 * {@code MAX_RANGE_DAYS} days. Breaking one is a 400 problem naming the field.
 */
final class CalendarDates {
  static final String FORM = "a calendar date in the form YYYY-MM-DD";

  /**
   * The ISO parser alone would accept signed and longer years ({@code +2019-08-19}); this shape
   * would not.
   */
  private static final Pattern STRICT_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private CalendarDates() {}

  /** The date, when the text is a real calendar day in strict form. */
  static Optional<LocalDate> parse(String text) {
    if (text == null || !STRICT_SHAPE.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      // ISO_LOCAL_DATE resolves strictly: 2019-02-30 is an error, not 2019-03-02
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** What is wrong with a field that is not a date in strict form, for a problem's detail. */
  static String malformed(String field, Object got) {
    return field + ": expected " + FORM + ", got " + ClientValue.quote(got);
  }

  /**
   * The range from {@code start} to {@code end}, both ends included.
   *
   * @throws ProblemException (400) naming {@code endField} when the end is before the start or the
   *     range spans more than {@code maxDays} days
   */
  static DateRange range(
      String startField, LocalDate start, String endField, LocalDate end, int maxDays) {
    if (start.isAfter(end)) {
      throw invalid(
          endField
              + ": expected a date on or after "
              + startField
              + " ("
              + start
              + "), got \""
              + end
              + "\"");
    }
    DateRange range = new DateRange(start, end);
    if (range.days() > maxDays) {
      throw invalid(tooLong(endField, range, maxDays));
    }
    return range;
  }

  /** What is wrong with a range longer than {@code maxDays}, naming the field of its end. */
  static String tooLong(String endField, DateRange range, int maxDays) {
    return endField
        + ": the range "
        + range.start()
        + " to "
        + range.end()
        + " spans "
        + range.days()
        + " days; at most "
        + maxDays
        + " days are allowed";
  }

  static ProblemException invalid(String detail) {
    return Problem.of(ProblemType.INVALID_REQUEST, detail).toException();
  }
}
