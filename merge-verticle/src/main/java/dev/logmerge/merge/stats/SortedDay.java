package dev.logmerge.merge.stats;

import dev.logmerge.core.stats.StatsRow;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A day's aggregates arranged once for reading out: customers in a given order (ranks 0, 1, ...),
 * each customer's durations and minutes ascending. Costs, while it lives, 12 bytes per pair (for
 * grouping them by customer) and, in name order, the customers' names.
 */
final class SortedDay {
  /** The order of the customers' ranks. */
  enum Order {
    /** Ascending names (bytes): for text that must be the same for the same content. */
    BY_NAME,
    /** As the day first saw them: free, for rows that are stored one by one. */
    AS_SEEN
  }

  private final DayAggregate day;
  private final CustomerIndex customers;
  private final DurationCounts durations;
  private final int[] byRank; // null: rank is the customer's index
  private final CustomerGroups durationGroups;
  private final CustomerGroups minuteGroups;

  SortedDay(
      DayAggregate day,
      CustomerIndex customers,
      DurationCounts durations,
      MinuteOutcomes minutes,
      Order order) {
    this.day = day;
    this.customers = customers;
    this.durations = durations;
    int customerCount = customers.size();
    byRank = order == Order.BY_NAME ? byName(customers) : null;
    durationGroups = durations.byCustomer(customerCount);
    minuteGroups = minutes.byCustomer(customerCount);
  }

  private static int[] byName(CustomerIndex customers) {
    String[] names = new String[customers.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = customers.name(i);
    }
    // customers are ASCII, so String order is byte order
    return IntStream.range(0, names.length)
        .boxed()
        .sorted(Comparator.comparing(i -> names[i]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  int customerCount() {
    return customers.size();
  }

  private int customer(int rank) {
    return byRank == null ? rank : byRank[rank];
  }

  String name(int rank) {
    return customers.name(customer(rank));
  }

  /** Requests of status class {@code statusClass} (1–5) of the customer at {@code rank}. */
  long statusCount(int rank, int statusClass) {
    return day.statusCount(customer(rank), statusClass);
  }

  /** Where the durations of the customer at {@code rank} start in {@link #durationMs}. */
  int durationsFrom(int rank) {
    return durationGroups.from(customer(rank));
  }

  int durationsTo(int rank) {
    return durationGroups.to(customer(rank));
  }

  int durationMs(int i) {
    return DurationCounts.durationOfGrouped(durationGroups.value(i));
  }

  /** How many requests took {@link #durationMs}{@code (i)}. */
  long durationCount(int i) {
    return durations.countOfGrouped(durationGroups.value(i));
  }

  /** Where the minutes of the customer at {@code rank} start in {@link #minuteOfDay}. */
  int minutesFrom(int rank) {
    return minuteGroups.from(customer(rank));
  }

  int minutesTo(int rank) {
    return minuteGroups.to(customer(rank));
  }

  int minuteOfDay(int i) {
    return MinuteOutcomes.minuteOf(minuteGroups.value(i));
  }

  /** Whether any request of the customer in minute {@link #minuteOfDay}{@code (i)} succeeded. */
  boolean anySucceeded(int i) {
    return MinuteOutcomes.anySucceeded(minuteGroups.value(i));
  }

  /**
   * The row of the customer at {@code rank}: percentiles by nearest rank, walking its durations
   * once.
   */
  StatsRow row(int rank, LocalDate date) {
    long[] classes = new long[DayAggregate.STATUS_CLASSES];
    long requests = 0;
    for (int c = 0; c < classes.length; c++) {
      classes[c] = statusCount(rank, c + 1);
      requests += classes[c];
    }
    long p50Rank = (requests + 1) / 2; // ⌈n/2⌉
    long p99Rank = (99 * requests + 99) / 100; // ⌈99n/100⌉
    long p50 = -1;
    long p99 = -1;
    long seen = 0;
    long sum = 0;
    for (int i = durationsFrom(rank), to = durationsTo(rank); i < to; i++) {
      long count = durationCount(i);
      int ms = durationMs(i);
      sum += ms * count;
      seen += count;
      if (p50 < 0 && seen >= p50Rank) {
        p50 = ms;
      }
      if (p99 < 0 && seen >= p99Rank) {
        p99 = ms;
      }
    }
    int down = 0;
    for (int i = minutesFrom(rank), to = minutesTo(rank); i < to; i++) {
      if (!anySucceeded(i)) {
        down++;
      }
    }
    return new StatsRow(
        date,
        requests,
        classes[4],
        new StatsRow.StatusClasses(classes[0], classes[1], classes[2], classes[3], classes[4]),
        sum,
        p50,
        p99,
        down);
  }
}
