package dev.logmerge.merge.stats;

/**
 * What the linear-probing tables of this package share: power-of-two capacities grown by doubling
 * at three quarters full, and a mix of the key's bits so that keys which differ only in their high
 * bits (the customer) or low bits (a duration, a minute) spread over the table.
 */
final class OpenAddressing {
  static final int INITIAL_CAPACITY = 64;
  private static final int MAX_CAPACITY = 1 << 30;
  private static final long GOLDEN_RATIO = 0x9E3779B97F4A7C15L;

  private OpenAddressing() {}

  /** The first slot to probe for {@code key} in a table of {@code mask + 1} slots. */
  static int firstSlot(long key, int mask) {
    long mixed = key * GOLDEN_RATIO;
    return (int) (mixed ^ (mixed >>> 32)) & mask;
  }

  /** Whether a table of {@code capacity} slots holding {@code size} entries must grow. */
  static boolean isFull(int size, int capacity) {
    return size > capacity - (capacity >>> 2);
  }

  static int doubled(int capacity) {
    if (capacity >= MAX_CAPACITY) {
      throw new IllegalStateException("more than " + MAX_CAPACITY + " entries in one table");
    }
    return capacity << 1;
  }
}
