package dev.logmerge.http;

import dev.logmerge.core.DateRange;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A {@code GET /customers/{customer_id}/stats?from=YYYY-MM-DD[&to=YYYY-MM-DD]} request, checked in
 * one pass: a customer id of 1 to 64 characters of {@code [A-Za-z0-9_.-]}, {@code from} once, a
 * real date ({@link CalendarDates}), {@code to} at most once, a real date on or after {@code from},
 * the range spanning at most the configured days, and no other parameter (as {@code POST /initiate}
 * refuses unknown members). Anything else is a 400 problem naming each offending field.
 *
 * @param asked the range from {@code from} to {@code to}; empty when {@code to} was omitted: the
 *     range then ends on the newest indexed day ({@link #rangeThrough})
 */
record StatsQuery(String customerId, LocalDate from, Optional<DateRange> asked, int maxRangeDays) {
  static final String CUSTOMER_ID = "customer_id";
  static final String FROM = "from";
  static final String TO = "to";

  private static final Pattern CUSTOMER_ID_SHAPE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final List<String> PARAMETERS = List.of(FROM, TO);

  /**
   * Reads the request's customer id (decoded from the path) and query parameters.
   *
   * @throws ProblemException (400) naming each offending field and what was expected
   */
  static StatsQuery parse(String customerId, MultiMap query, int maxRangeDays) {
    List<String> findings = new ArrayList<>();
    if (customerId == null || !CUSTOMER_ID_SHAPE.matcher(customerId).matches()) {
      findings.add(
          CUSTOMER_ID
              + ": expected 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-', got "
              + ClientValue.quote(customerId));
    }
    Optional<LocalDate> from = dateParameter(query, FROM, true, findings);
    Optional<LocalDate> to = dateParameter(query, TO, false, findings);
    for (String name : new TreeSet<>(query.names())) {
      // the query's names are case-insensitive: FROM is from
      if (PARAMETERS.stream().noneMatch(name::equalsIgnoreCase)) {
        findings.add(
            ClientValue.quote(name)
                + ": unexpected parameter; only "
                + FROM
                + " and "
                + TO
                + " are allowed");
      }
    }
    if (!findings.isEmpty()) {
      throw CalendarDates.invalid(String.join("; ", findings));
    }
    LocalDate start = from.orElseThrow();
    Optional<DateRange> asked =
        to.map(end -> CalendarDates.range(FROM, start, TO, end, maxRangeDays));
    return new StatsQuery(customerId, start, asked, maxRangeDays);
  }

  /**
   * The date the parameter holds; empty when it is absent (a finding if it is required), repeated
   * or not a date in strict form (a finding).
   */
  private static Optional<LocalDate> dateParameter(
      MultiMap query, String name, boolean required, List<String> findings) {
    List<String> values = query.getAll(name);
    if (values.isEmpty()) {
      if (required) {
        findings.add(name + ": missing; expected " + CalendarDates.FORM);
      }
      return Optional.empty();
    }
    if (values.size() > 1) {
      findings.add(name + ": expected once, got " + values.size() + " values");
      return Optional.empty();
    }
    Optional<LocalDate> date = CalendarDates.parse(values.get(0));
    if (date.isEmpty()) {
      findings.add(CalendarDates.malformed(name, values.get(0)));
    }
    return date;
  }

  /**
   * The range when {@code to} was omitted: up to the newest indexed day, or {@code from} alone when
   * nothing is indexed or that day is before {@code from}.
   *
   * @throws ProblemException (400) naming {@code to} when that range spans more than the configured
   *     days
   */
  DateRange rangeThrough(Optional<LocalDate> newestIndexedDay) {
    LocalDate end = newestIndexedDay.filter(newest -> !newest.isBefore(from)).orElse(from);
    DateRange range = new DateRange(from, end);
    if (range.days() > maxRangeDays) {
      throw CalendarDates.invalid(
          CalendarDates.tooLong(TO, range, maxRangeDays)
              + " (omitted, "
              + TO
              + " is the newest indexed day, "
              + end
              + "): give "
              + TO);
    }
    return range;
  }
}
