package dev.logmerge.merge.stats;

import java.util.Arrays;

/**
 * Everything the rows of one day need, for every customer seen that day, in a size that depends on
 * the distinct customers, (customer, duration) and (customer, minute) pairs, never on the number of
 * requests. Arrays double as they fill, so each cost is a range:
 *
 * <ul>
 *   <li>per customer: five counters (requests per status class; 40–80 bytes) and its number in
 *       {@link CustomerIndex} (13–27 bytes plus its name);
 *   <li>per distinct duration of a customer: an entry of {@link DurationCounts} (21–43 bytes);
 *   <li>per minute in which a customer had requests: an entry of {@link MinuteOutcomes} (11–22
 *       bytes).
 * </ul>
 *
 * Reading the rows out ({@link SortedDay}) adds, while it lasts, 12 bytes per pair (and, in name
 * order, a String per customer).
 *
 * <p>Why one table of (customer, duration) → count (issue 14: "a day with a million customers must
 * not need a million-entry structure per duration value"): exact nearest-rank percentiles need
 * every duration, but not every request. Durations are whole milliseconds that repeat, so a busy
 * customer's million requests are a few thousand pairs; and the pairs of all customers share one
 * table keyed by a long, so a day of a million customers with a few requests each holds a few
 * million entries. A structure per customer sized by the range of durations (a histogram array) or
 * per duration sized by the customers would cost far more; a list of every request would grow with
 * the lines; a sketch (such as HdrHistogram) would not be exact.
 */
final class DayAggregate {
  static final int STATUS_CLASSES = 5;

  private final CustomerIndex customers = new CustomerIndex();
  private long[] statusCounts = new long[STATUS_CLASSES * OpenAddressing.INITIAL_CAPACITY];
  private final DurationCounts durations = new DurationCounts();
  private final MinuteOutcomes minutes = new MinuteOutcomes();

  /** Counts one request line; {@code status} is 100–599. */
  void addRequest(
      byte[] bytes,
      int customerStart,
      int customerEnd,
      int minuteOfDay,
      int status,
      int durationMs) {
    int customer = customer(bytes, customerStart, customerEnd);
    statusCounts[customer * STATUS_CLASSES + status / 100 - 1]++;
    durations.add(customer, durationMs, 1);
    minutes.record(customer, minuteOfDay, status < 500);
  }

  /** The index of the customer, numbering it if it is new. */
  int customer(byte[] bytes, int from, int to) {
    return ensureCounters(customers.intern(bytes, from, to));
  }

  /** The index of the customer, numbering it if it is new. */
  int customer(String name) {
    return ensureCounters(customers.intern(name));
  }

  /** Adds {@code count} requests of status class {@code statusClass} (1 for 1xx ... 5 for 5xx). */
  void addStatusCount(int customer, int statusClass, long count) {
    statusCounts[customer * STATUS_CLASSES + statusClass - 1] += count;
  }

  void addDuration(int customer, int durationMs, long count) {
    durations.add(customer, durationMs, count);
  }

  void addMinute(int customer, int minuteOfDay, boolean anySucceeded) {
    minutes.record(customer, minuteOfDay, anySucceeded);
  }

  /** Adds everything of {@code other} (another aggregate of the same day) to this one. */
  void addAll(DayAggregate other) {
    int[] here = new int[other.customers.size()];
    for (int i = 0; i < here.length; i++) {
      here[i] = customer(other.customers.name(i));
      for (int statusClass = 1; statusClass <= STATUS_CLASSES; statusClass++) {
        addStatusCount(here[i], statusClass, other.statusCount(i, statusClass));
      }
    }
    other.durations.forEach((customer, ms, count) -> addDuration(here[customer], ms, count));
    other.minutes.forEach((customer, minute, ok) -> addMinute(here[customer], minute, ok));
  }

  long statusCount(int customer, int statusClass) {
    return statusCounts[customer * STATUS_CLASSES + statusClass - 1];
  }

  /** Every request of the day, of every customer. */
  long requests() {
    long requests = 0;
    for (int i = 0; i < customers.size() * STATUS_CLASSES; i++) {
      requests += statusCounts[i];
    }
    return requests;
  }

  /** The day's customers in {@code order}, with their durations and minutes, for reading out. */
  SortedDay sorted(SortedDay.Order order) {
    return new SortedDay(this, customers, durations, minutes, order);
  }

  int customerCount() {
    return customers.size();
  }

  long estimatedBytes() {
    return customers.estimatedBytes()
        + 8L * statusCounts.length
        + durations.estimatedBytes()
        + minutes.estimatedBytes();
  }

  private int ensureCounters(int customer) {
    if ((customer + 1) * STATUS_CLASSES > statusCounts.length) {
      statusCounts = Arrays.copyOf(statusCounts, statusCounts.length * 2);
    }
    return customer;
  }
}
