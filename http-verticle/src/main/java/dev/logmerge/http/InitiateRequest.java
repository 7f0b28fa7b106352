package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The meaning of a {@code POST /initiate} body whose shape the JSON schema has already checked: two
 * real calendar dates in strict {@code YYYY-MM-DD} form, in order, spanning at most the configured
 * days.
 */
record InitiateRequest(DateRange range) {
  static final String START_DATE = "start_date";
  static final String END_DATE = "end_date";
  static final String DATE_FORM = "a calendar date in the form YYYY-MM-DD";

  /**
   * The ISO parser alone would accept signed and longer years ({@code +2019-08-19}); this shape
   * would not.
   */
  private static final Pattern STRICT_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /**
   * Reads a schema-valid body.
   *
   * @throws ProblemException (400) naming the offending field and the expected form
   */
  static InitiateRequest from(JsonObject body, int maxRangeDays) {
    Optional<LocalDate> start = date(body.getString(START_DATE));
    Optional<LocalDate> end = date(body.getString(END_DATE));
    // name every malformed date at once, as the schema findings do
    List<String> malformed = new ArrayList<>();
    if (start.isEmpty()) {
      malformed.add(malformedDate(body, START_DATE));
    }
    if (end.isEmpty()) {
      malformed.add(malformedDate(body, END_DATE));
    }
    if (!malformed.isEmpty()) {
      throw invalid(String.join("; ", malformed));
    }
    if (start.get().isAfter(end.get())) {
      throw invalid(
          END_DATE
              + ": expected a date on or after "
              + START_DATE
              + " ("
              + start.get()
              + "), got \""
              + end.get()
              + "\"");
    }
    DateRange range = new DateRange(start.get(), end.get());
    if (range.days() > maxRangeDays) {
      throw invalid(
          END_DATE
              + ": the range "
              + range.start()
              + " to "
              + range.end()
              + " spans "
              + range.days()
              + " days; at most "
              + maxRangeDays
              + " days are allowed");
    }
    return new InitiateRequest(range);
  }

  /** The date, when the text is a real calendar day in strict form. */
  private static Optional<LocalDate> date(String text) {
    if (!STRICT_SHAPE.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      // ISO_LOCAL_DATE resolves strictly: 2019-02-30 is an error, not 2019-03-02
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String malformedDate(JsonObject body, String field) {
    return field + ": expected " + DATE_FORM + ", got " + ClientValue.quote(body.getString(field));
  }

  private static ProblemException invalid(String detail) {
    return Problem.of(ProblemType.INVALID_REQUEST, detail).toException();
  }
}
