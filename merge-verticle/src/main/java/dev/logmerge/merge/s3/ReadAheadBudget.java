package dev.logmerge.merge.s3;

/**
 * Splits a job's read-ahead memory among its inputs. A streamed input buffers its share, kept
 * between 16 KiB and 8 MiB; the socket's own buffer reads ahead behind it. An input read by ranged
 * GETs holds the window being read and the one prefetched, which arrives straight into its own
 * array ({@link WindowTransformer}): two windows at the peak, so the window is {@code budget / (2 ×
 * inputs)}, kept between 8 KiB (smaller windows cost more in requests than they save in memory) and
 * 8 MiB (larger ones do not read faster). Below the floor, i.e. beyond {@code budget / 16 KiB}
 * inputs (4,096 for 64 MiB), memory exceeds the budget by the floor's margin.
 */
public final class ReadAheadBudget {
  public static final int MIN_WINDOW_BYTES = 8 * 1024;

  /**
   * Room for a few of the chunks a streaming body arrives in (a few KiB each), so the transfer does
   * not stall on every chunk. A 16 MiB budget reaches the floor at 1,024 inputs, and no job streams
   * more than 512.
   */
  public static final int MIN_STREAM_BUFFER_BYTES = 16 * 1024;

  public static final int MAX_WINDOW_BYTES = 8 * 1024 * 1024;

  /** Windows one input may hold at the peak: the one read and the one prefetched. */
  static final long WINDOWS_PER_INPUT = 2;

  private ReadAheadBudget() {}

  /** The buffer of each of {@code inputs} streamed inputs sharing {@code totalBudgetBytes}. */
  public static int streamBufferBytes(long totalBudgetBytes, int inputs) {
    requirePositive(totalBudgetBytes, inputs);
    return (int)
        Math.max(MIN_STREAM_BUFFER_BYTES, Math.min(MAX_WINDOW_BYTES, totalBudgetBytes / inputs));
  }

  /** The ranged-GET window of each of {@code inputs} inputs sharing {@code totalBudgetBytes}. */
  public static int windowBytes(long totalBudgetBytes, int inputs) {
    requirePositive(totalBudgetBytes, inputs);
    long share = totalBudgetBytes / (WINDOWS_PER_INPUT * inputs);
    return (int) Math.max(MIN_WINDOW_BYTES, Math.min(MAX_WINDOW_BYTES, share));
  }

  private static void requirePositive(long totalBudgetBytes, int inputs) {
    if (totalBudgetBytes < 1 || inputs < 1) {
      throw new IllegalArgumentException(
          "budget and inputs must be positive, were " + totalBudgetBytes + ", " + inputs);
    }
  }
}
