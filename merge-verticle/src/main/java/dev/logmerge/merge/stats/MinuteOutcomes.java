package dev.logmerge.merge.stats;

/**
 * The minutes of a day in which each customer had requests, and whether any of them succeeded: a
 * linear-probing set of (customer index, minute) pairs with the flag kept in the entry's lowest
 * bit. 8 bytes a slot, at most three quarters full: 11 to 22 bytes per distinct pair.
 *
 * <p>An entry is {@code customer << 13 | minute << 2 | 0b10 | anySucceeded}: bit 1 marks a used
 * slot (so no entry is 0), and entries sort by customer and then minute.
 */
final class MinuteOutcomes {
  private static final long USED = 0b10;
  private static final long SUCCEEDED = 0b1;

  private long[] entries = new long[OpenAddressing.INITIAL_CAPACITY];
  private int size;

  /** What {@link #forEach} calls. */
  interface Consumer {
    void accept(int customer, int minuteOfDay, boolean anySucceeded);
  }

  /** Records requests of the customer in the minute, at least one of which succeeded if so said. */
  void record(int customer, int minuteOfDay, boolean anySucceeded) {
    long key = (long) customer << 13 | (long) minuteOfDay << 2 | USED;
    long flag = anySucceeded ? SUCCEEDED : 0;
    int mask = entries.length - 1;
    int slot = OpenAddressing.firstSlot(key, mask);
    while (entries[slot] != 0) {
      if ((entries[slot] & ~SUCCEEDED) == key) {
        entries[slot] |= flag;
        return;
      }
      slot = (slot + 1) & mask;
    }
    entries[slot] = key | flag;
    if (OpenAddressing.isFull(++size, entries.length)) {
      grow();
    }
  }

  /** Every pair, in no particular order. */
  void forEach(Consumer consumer) {
    for (long entry : entries) {
      if (entry != 0) {
        consumer.accept(customerOf(entry), minuteOf(entry), anySucceeded(entry));
      }
    }
  }

  /**
   * The entries grouped by customer, each customer's by minute ascending; read them with {@link
   * #minuteOf} and {@link #anySucceeded}.
   */
  CustomerGroups byCustomer(int customers) {
    int[] owners = new int[size];
    long[] values = new long[size];
    int n = 0;
    for (long entry : entries) {
      if (entry != 0) {
        owners[n] = customerOf(entry);
        values[n++] = entry;
      }
    }
    return CustomerGroups.of(customers, owners, values);
  }

  static int customerOf(long entry) {
    return (int) (entry >>> 13);
  }

  static int minuteOf(long entry) {
    return (int) (entry >>> 2) & 0x7FF;
  }

  static boolean anySucceeded(long entry) {
    return (entry & SUCCEEDED) != 0;
  }

  int size() {
    return size;
  }

  long estimatedBytes() {
    return 8L * entries.length;
  }

  private void grow() {
    long[] old = entries;
    entries = new long[OpenAddressing.doubled(old.length)];
    int mask = entries.length - 1;
    for (long entry : old) {
      if (entry != 0) {
        int slot = OpenAddressing.firstSlot(entry & ~SUCCEEDED, mask);
        while (entries[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        entries[slot] = entry;
      }
    }
  }
}
