package dev.logmerge.merge.s3;

/**
 * Splits a job's read-ahead memory among its inputs. A streamed input buffers its share, kept
 * between 16 KiB and 8 MiB; the socket's own buffer reads ahead behind it. Below the floor, i.e.
 * beyond {@code budget / 16 KiB} inputs (256 for 4 MiB), memory exceeds the budget by the floor's
 * margin.
 */
public final class ReadAheadBudget {
  /**
   * Room for a few of the chunks a streaming body arrives in (a few KiB each), so the transfer does
   * not stall on every chunk. A 16 MiB budget reaches the floor at 1,024 inputs, and no job streams
   * more than 512.
   */
  public static final int MIN_STREAM_BUFFER_BYTES = 16 * 1024;

  public static final int MAX_STREAM_BUFFER_BYTES = 8 * 1024 * 1024;

  private ReadAheadBudget() {}

  /** The buffer of each of {@code inputs} streamed inputs sharing {@code totalBudgetBytes}. */
  public static int streamBufferBytes(long totalBudgetBytes, int inputs) {
    if (totalBudgetBytes < 1 || inputs < 1) {
      throw new IllegalArgumentException(
          "budget and inputs must be positive, were " + totalBudgetBytes + ", " + inputs);
    }
    return (int)
        Math.max(
            MIN_STREAM_BUFFER_BYTES, Math.min(MAX_STREAM_BUFFER_BYTES, totalBudgetBytes / inputs));
  }
}
