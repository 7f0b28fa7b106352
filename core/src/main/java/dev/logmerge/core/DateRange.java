package dev.logmerge.core;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** An inclusive range of calendar days, start ≤ end. */
public record DateRange(LocalDate start, LocalDate end) {
  public DateRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (start.isAfter(end)) {
      throw new IllegalArgumentException("start " + start + " is after end " + end);
    }
  }

  /** Parses two ISO dates ({@code YYYY-MM-DD}); callers validate user input before this. */
  public static DateRange parse(String start, String end) {
    return new DateRange(LocalDate.parse(start), LocalDate.parse(end));
  }

  /** Number of days in the range, both ends included. */
  public long days() {
    return ChronoUnit.DAYS.between(start, end) + 1;
  }

  /** Whether {@code day} is one of the range's days. */
  public boolean contains(LocalDate day) {
    return !day.isBefore(start) && !day.isAfter(end);
  }

  /** Every day of the range, in order. */
  public List<LocalDate> dates() {
    return Stream.iterate(start, d -> !d.isAfter(end), d -> d.plusDays(1)).toList();
  }

  @Override
  public String toString() {
    return start + ".." + end;
  }
}
