package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code POST /initiate} body, read in one pass: a JSON object with the string members {@code
 * start_date} and {@code end_date} and nothing else, two real calendar dates in strict {@code
 * YYYY-MM-DD} form, in order, spanning at most the configured days. Anything else is a 400 problem
 * whose detail names each offending field and what was expected.
 */
record InitiateRequest(DateRange range) {
  private static final String START_DATE = "start_date";
  private static final String END_DATE = "end_date";
  private static final String DATE_FORM = "a calendar date in the form YYYY-MM-DD";

  private static final List<String> FIELDS = List.of(START_DATE, END_DATE);
  private static final String EXPECTED_BODY =
      "a JSON object {\""
          + START_DATE
          + "\": \"YYYY-MM-DD\", \""
          + END_DATE
          + "\": \"YYYY-MM-DD\"}";

  /**
   * The ISO parser alone would accept signed and longer years ({@code +2019-08-19}); this shape
   * would not.
   */
  private static final Pattern STRICT_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /**
   * Reads a request body.
   *
   * @param body the bytes received; null or empty when none were sent
   * @throws ProblemException (400) naming the offending field and the expected form
   */
  static InitiateRequest parse(Buffer body, int maxRangeDays) {
    if (body == null || body.length() == 0) {
      throw invalid("request body: expected " + EXPECTED_BODY + ", got an empty body");
    }
    Object json;
    try {
      json = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw invalid("request body: expected " + EXPECTED_BODY + ", got malformed JSON");
    }
    if (!(json instanceof JsonObject object)) {
      throw invalid("request body: expected " + EXPECTED_BODY + ", got " + kindOf(json));
    }
    return from(object, maxRangeDays);
  }

  /**
   * Reads a body that is a JSON object.
   *
   * @throws ProblemException (400) naming the offending field and the expected form
   */
  static InitiateRequest from(JsonObject body, int maxRangeDays) {
    // name every offending field at once: first the members, then, once they are strings, the dates
    List<String> misshapen = misshapenMembers(body);
    if (!misshapen.isEmpty()) {
      throw invalid(String.join("; ", misshapen));
    }
    Optional<LocalDate> start = date(body.getString(START_DATE));
    Optional<LocalDate> end = date(body.getString(END_DATE));
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

  /** One sentence per missing or non-string date member, then per unexpected member, by name. */
  private static List<String> misshapenMembers(JsonObject body) {
    List<String> findings = new ArrayList<>();
    for (String field : FIELDS) {
      if (!body.containsKey(field)) {
        findings.add(field + ": missing; expected a string holding " + DATE_FORM);
      } else if (!(body.getValue(field) instanceof String)) {
        findings.add(
            field
                + ": expected a string holding "
                + DATE_FORM
                + ", got "
                + ClientValue.quote(body.getValue(field)));
      }
    }
    body.fieldNames().stream()
        .filter(name -> !FIELDS.contains(name))
        .sorted()
        .forEach(
            name ->
                findings.add(
                    name
                        + ": unexpected field; only "
                        + START_DATE
                        + " and "
                        + END_DATE
                        + " are allowed"));
    return findings;
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

  private static String kindOf(Object json) {
    if (json == null) {
      return "null";
    }
    if (json instanceof JsonArray) {
      return "an array";
    }
    if (json instanceof String) {
      return "a string";
    }
    if (json instanceof Boolean) {
      return "a boolean";
    }
    return "a number";
  }

  private static ProblemException invalid(String detail) {
    return Problem.of(ProblemType.INVALID_REQUEST, detail).toException();
  }
}
