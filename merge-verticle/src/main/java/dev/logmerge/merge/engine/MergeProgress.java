package dev.logmerge.merge.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one merge, written by the merging thread in batches and read by any thread (e.g.
 * every few seconds, to publish it with the job). Reading takes three volatile loads, so a snapshot
 * may mix counters of slightly different moments; each counter on its own is exact.
 */
public final class MergeProgress {
  private final AtomicLong rawBytesRead = new AtomicLong();
  private final AtomicLong inputsFinished = new AtomicLong();
  private final AtomicLong linesWritten = new AtomicLong();

  /** The counters at one moment. */
  public record Snapshot(long rawBytesRead, long inputsFinished, long linesWritten) {}

  /**
   * Counters of the current attempt: raw bytes are counted as {@link MergeInput#open()} delivers
   * them (before inflating), so they can be compared with the sum of {@link MergeInput#size()}.
   */
  public Snapshot snapshot() {
    return new Snapshot(rawBytesRead.get(), inputsFinished.get(), linesWritten.get());
  }

  /** Starts over, for a merge that restarts from the first byte. */
  public void reset() {
    rawBytesRead.set(0);
    inputsFinished.set(0);
    linesWritten.set(0);
  }

  void addRawBytesRead(long bytes) {
    rawBytesRead.addAndGet(bytes);
  }

  void inputFinished() {
    inputsFinished.incrementAndGet();
  }

  void addLinesWritten(long lines) {
    linesWritten.addAndGet(lines);
  }
}
