package dev.logmerge.merge.s3;

/**
 * Splits a job's read-ahead memory among its inputs. Each input holds at most two windows (the one being read and
 * the one prefetched), so the window is {@code budget / (2 × inputs)}, kept between 16 KiB (smaller windows cost more
 * in requests than they save in memory) and 8 MiB (larger ones do not read faster). Below the floor, i.e. beyond
 * {@code budget / 32 KiB} inputs (2,048 for 64 MiB), memory exceeds the budget by the floor's margin.
 */
public final class ReadAheadBudget {
  public static final int MIN_WINDOW_BYTES = 16 * 1024;
  public static final int MAX_WINDOW_BYTES = 8 * 1024 * 1024;

  private ReadAheadBudget() {
  }

  /** The ranged-GET window of each of {@code inputs} inputs sharing {@code totalBudgetBytes}. */
  public static int windowBytes(long totalBudgetBytes, int inputs) {
    if (totalBudgetBytes < 1 || inputs < 1) {
      throw new IllegalArgumentException("budget and inputs must be positive, were " + totalBudgetBytes + ", " + inputs);
    }
    long share = totalBudgetBytes / (2L * inputs);
    return (int) Math.max(MIN_WINDOW_BYTES, Math.min(MAX_WINDOW_BYTES, share));
  }
}
