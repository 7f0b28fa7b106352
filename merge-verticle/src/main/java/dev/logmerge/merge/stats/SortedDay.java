package dev.logmerge.merge.stats;

import dev.logmerge.core.stats.StatsRow;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A day's aggregates sorted once for reading out: customers by name (ranks 0, 1, ...), and each
 * customer's durations and minutes ascending. Costs a copy of the pairs' keys (8 bytes per distinct
 * duration and per minute) and the customers' names while it lives.
 */
final class SortedDay {
  private final DayAggregate day;
  private final DurationCounts durations;
  private final String[] names;
  private final int[] byName;
  private final long[] durationKeys;
  private final int[] durationStarts;
  private final long[] minuteEntries;
  private final int[] minuteStarts;

  SortedDay(
      DayAggregate day, CustomerIndex customers, DurationCounts durations, MinuteOutcomes minutes) {
    this.day = day;
    this.durations = durations;
    int customerCount = customers.size();
    names = new String[customerCount];
    for (int i = 0; i < customerCount; i++) {
      names[i] = customers.name(i);
    }
    // customers are ASCII, so String order is byte order
    byName =
        IntStream.range(0, customerCount)
            .boxed()
            .sorted(Comparator.comparing(i -> names[i]))
            .mapToInt(Integer::intValue)
            .toArray();
    durationKeys = durations.sortedKeys();
    durationStarts = new int[customerCount + 1];
    for (long key : durationKeys) {
      durationStarts[DurationCounts.customerOf(key) + 1]++;
    }
    minuteEntries = minutes.sortedEntries();
    minuteStarts = new int[customerCount + 1];
    for (long entry : minuteEntries) {
      minuteStarts[MinuteOutcomes.customerOf(entry) + 1]++;
    }
    for (int i = 0; i < customerCount; i++) {
      durationStarts[i + 1] += durationStarts[i];
      minuteStarts[i + 1] += minuteStarts[i];
    }
  }

  int customerCount() {
    return names.length;
  }

  String name(int rank) {
    return names[byName[rank]];
  }

  /** Requests of status class {@code statusClass} (1–5) of the customer at {@code rank}. */
  long statusCount(int rank, int statusClass) {
    return day.statusCount(byName[rank], statusClass);
  }

  /** Where the durations of the customer at {@code rank} start in {@link #durationMs}. */
  int durationsFrom(int rank) {
    return durationStarts[byName[rank]];
  }

  int durationsTo(int rank) {
    return durationStarts[byName[rank] + 1];
  }

  int durationMs(int i) {
    return DurationCounts.durationOf(durationKeys[i]);
  }

  /** How many requests took {@link #durationMs}{@code (i)}. */
  long durationCount(int i) {
    long key = durationKeys[i];
    return durations.count(DurationCounts.customerOf(key), DurationCounts.durationOf(key));
  }

  /** Where the minutes of the customer at {@code rank} start in {@link #minuteOfDay}. */
  int minutesFrom(int rank) {
    return minuteStarts[byName[rank]];
  }

  int minutesTo(int rank) {
    return minuteStarts[byName[rank] + 1];
  }

  int minuteOfDay(int i) {
    return MinuteOutcomes.minuteOf(minuteEntries[i]);
  }

  /** Whether any request of the customer in minute {@link #minuteOfDay}{@code (i)} succeeded. */
  boolean anySucceeded(int i) {
    return MinuteOutcomes.anySucceeded(minuteEntries[i]);
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
