package dev.logmerge.merge.stats;

import java.util.Arrays;

/**
 * Values of a day's pairs grouped by customer, each customer's ascending: a counting sort by
 * customer index, then a sort of each group. The groups are as small as a customer's distinct
 * durations or minutes, so this costs two passes and many small sorts instead of one sort of every
 * pair of the day.
 */
final class CustomerGroups {
  private final int[] starts;
  private final long[] values;

  private CustomerGroups(int[] starts, long[] values) {
    this.starts = starts;
    this.values = values;
  }

  /**
   * Groups {@code values[i]} under customer {@code owners[i]}.
   *
   * @param customers how many customers there are (owners are 0 to {@code customers - 1})
   */
  static CustomerGroups of(int customers, int[] owners, long[] values) {
    int[] starts = new int[customers + 1];
    for (int owner : owners) {
      starts[owner + 1]++;
    }
    for (int c = 0; c < customers; c++) {
      starts[c + 1] += starts[c];
    }
    int[] next = Arrays.copyOf(starts, customers);
    long[] grouped = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      grouped[next[owners[i]]++] = values[i];
    }
    for (int c = 0; c < customers; c++) {
      if (starts[c + 1] - starts[c] > 1) {
        Arrays.sort(grouped, starts[c], starts[c + 1]);
      }
    }
    return new CustomerGroups(starts, grouped);
  }

  /** Where the customer's values start. */
  int from(int customer) {
    return starts[customer];
  }

  /** Where the customer's values end (exclusive). */
  int to(int customer) {
    return starts[customer + 1];
  }

  long value(int i) {
    return values[i];
  }
}
