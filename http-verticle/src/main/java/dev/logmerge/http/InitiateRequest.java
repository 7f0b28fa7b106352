package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code POST /initiate} or {@code POST /stats/reindex} body, read in one pass: a JSON object
 * with the string members {@code start_date} and {@code end_date} and nothing else, two real
 * calendar dates in strict {@code YYYY-MM-DD} form ({@link CalendarDates}), in order, spanning at
 * most the configured days. Anything else is a 400 problem whose detail names each offending field
 * and what was expected.
 */
record InitiateRequest(DateRange range) {
  private static final String START_DATE = "start_date";
  private static final String END_DATE = "end_date";

  private static final List<String> FIELDS = List.of(START_DATE, END_DATE);
  private static final String EXPECTED_BODY =
      "a JSON object {\""
          + START_DATE
          + "\": \"YYYY-MM-DD\", \""
          + END_DATE
          + "\": \"YYYY-MM-DD\"}";

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
    Optional<LocalDate> start = CalendarDates.parse(body.getString(START_DATE));
    Optional<LocalDate> end = CalendarDates.parse(body.getString(END_DATE));
    List<String> malformed = new ArrayList<>();
    if (start.isEmpty()) {
      malformed.add(CalendarDates.malformed(START_DATE, body.getString(START_DATE)));
    }
    if (end.isEmpty()) {
      malformed.add(CalendarDates.malformed(END_DATE, body.getString(END_DATE)));
    }
    if (!malformed.isEmpty()) {
      throw invalid(String.join("; ", malformed));
    }
    return new InitiateRequest(
        CalendarDates.range(START_DATE, start.get(), END_DATE, end.get(), maxRangeDays));
  }

  /** One sentence per missing or non-string date member, then per unexpected member, by name. */
  private static List<String> misshapenMembers(JsonObject body) {
    List<String> findings = new ArrayList<>();
    for (String field : FIELDS) {
      if (!body.containsKey(field)) {
        findings.add(field + ": missing; expected a string holding " + CalendarDates.FORM);
      } else if (!(body.getValue(field) instanceof String)) {
        findings.add(
            field
                + ": expected a string holding "
                + CalendarDates.FORM
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
    return CalendarDates.invalid(detail);
  }
}
