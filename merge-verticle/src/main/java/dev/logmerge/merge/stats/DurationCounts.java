package dev.logmerge.merge.stats;

/**
 * The multiset of request durations of every customer of a day: a linear-probing table from the
 * pair (customer index, duration) to how many requests had it. 16 bytes a slot (key and count), at
 * most three quarters full: 21 to 43 bytes per distinct pair.
 */
final class DurationCounts {
  private long[] keys = new long[OpenAddressing.INITIAL_CAPACITY]; // pair key + 1; 0 is free
  private long[] counts = new long[OpenAddressing.INITIAL_CAPACITY];
  private int size;

  /** What {@link #forEach} calls. */
  interface Consumer {
    void accept(int customer, int durationMs, long count);
  }

  void add(int customer, int durationMs, long count) {
    long stored = key(customer, durationMs) + 1;
    int mask = keys.length - 1;
    int slot = OpenAddressing.firstSlot(stored, mask);
    while (keys[slot] != 0) {
      if (keys[slot] == stored) {
        counts[slot] += count;
        return;
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = stored;
    counts[slot] = count;
    if (OpenAddressing.isFull(++size, keys.length)) {
      grow();
    }
  }

  /** How many requests of the customer took {@code durationMs}; 0 if none. */
  long count(int customer, int durationMs) {
    long stored = key(customer, durationMs) + 1;
    int mask = keys.length - 1;
    for (int slot = OpenAddressing.firstSlot(stored, mask);
        keys[slot] != 0;
        slot = (slot + 1) & mask) {
      if (keys[slot] == stored) {
        return counts[slot];
      }
    }
    return 0;
  }

  /** Every pair, in no particular order. */
  void forEach(Consumer consumer) {
    for (int slot = 0; slot < keys.length; slot++) {
      if (keys[slot] != 0) {
        long key = keys[slot] - 1;
        consumer.accept(customerOf(key), durationOf(key), counts[slot]);
      }
    }
  }

  /**
   * The pairs grouped by customer, each customer's durations ascending; read a value with {@link
   * #durationOfGrouped} and {@link #countOfGrouped}.
   */
  CustomerGroups byCustomer(int customers) {
    int[] owners = new int[size];
    long[] values = new long[size];
    int n = 0;
    for (int slot = 0; slot < keys.length; slot++) {
      if (keys[slot] != 0) {
        long key = keys[slot] - 1;
        owners[n] = customerOf(key);
        // the slot rides along in the low bits, so the count needs no second look-up
        values[n++] = (long) durationOf(key) << 32 | slot;
      }
    }
    return CustomerGroups.of(customers, owners, values);
  }

  static int durationOfGrouped(long value) {
    return (int) (value >>> 32);
  }

  long countOfGrouped(long value) {
    return counts[(int) value];
  }

  static int customerOf(long key) {
    return (int) (key >>> 32);
  }

  static int durationOf(long key) {
    return (int) key;
  }

  int size() {
    return size;
  }

  long estimatedBytes() {
    return 16L * keys.length;
  }

  private static long key(int customer, int durationMs) {
    return (long) customer << 32 | durationMs;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    int capacity = OpenAddressing.doubled(oldKeys.length);
    keys = new long[capacity];
    counts = new long[capacity];
    int mask = capacity - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int slot = OpenAddressing.firstSlot(oldKeys[i], mask);
        while (keys[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        counts[slot] = oldCounts[i];
      }
    }
  }
}
