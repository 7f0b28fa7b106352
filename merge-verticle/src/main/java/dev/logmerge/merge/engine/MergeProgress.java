package dev.logmerge.merge.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of one merge, written by the merging thread in batches and read by any thread (e.g.
 * every few seconds, to publish it with the job). Reading takes three volatile loads, so a snapshot
 * may mix counters of slightly different moments; each counter on its own is exact.
 *
 * <p>A merge in passes gives each pass a view of the job's progress ({@link #ofInputPass}, {@link
 * #ofFinalPass}) that passes on only what the job counts: the inputs' raw bytes once, as the first
 * pass reads them, and the lines of the result, not the local re-reads of runs nor their lines.
 * Resetting a view (a pass restarting) takes back only what that view passed on.
 */
public final class MergeProgress {
  private final AtomicLong rawBytesRead = new AtomicLong();
  private final AtomicLong inputsFinished = new AtomicLong();
  private final AtomicLong linesWritten = new AtomicLong();

  /** The job's progress this is a view of; null for a job's own. */
  private final MergeProgress job;

  private final boolean passesOnReads;
  private final boolean passesOnLines;

  /** The counters at one moment. */
  public record Snapshot(long rawBytesRead, long inputsFinished, long linesWritten) {}

  public MergeProgress() {
    this(null, false, false);
  }

  private MergeProgress(MergeProgress job, boolean passesOnReads, boolean passesOnLines) {
    this.job = job;
    this.passesOnReads = passesOnReads;
    this.passesOnLines = passesOnLines;
  }

  /**
   * A pass that reads some of the job's inputs into a run: its raw bytes and finished inputs count
   * for the job, its lines (not lines of the result) do not.
   */
  static MergeProgress ofInputPass(MergeProgress job) {
    return new MergeProgress(job, true, false);
  }

  /** The pass that merges runs into the result: its lines count, its local reads do not. */
  static MergeProgress ofFinalPass(MergeProgress job) {
    return new MergeProgress(job, false, true);
  }

  /**
   * Counters of the current attempt: raw bytes are counted as {@link MergeInput#open()} delivers
   * them (before inflating), so they can be compared with the sum of {@link MergeInput#size()}.
   */
  public Snapshot snapshot() {
    return new Snapshot(rawBytesRead.get(), inputsFinished.get(), linesWritten.get());
  }

  /** Starts over, for a merge that restarts from the first byte. */
  public void reset() {
    long bytes = rawBytesRead.getAndSet(0);
    long inputs = inputsFinished.getAndSet(0);
    long lines = linesWritten.getAndSet(0);
    if (job != null) {
      passOn(-bytes, -inputs, -lines);
    }
  }

  void addRawBytesRead(long bytes) {
    rawBytesRead.addAndGet(bytes);
    if (job != null) {
      passOn(bytes, 0, 0);
    }
  }

  void inputFinished() {
    inputsFinished.incrementAndGet();
    if (job != null) {
      passOn(0, 1, 0);
    }
  }

  void addLinesWritten(long lines) {
    linesWritten.addAndGet(lines);
    if (job != null) {
      passOn(0, 0, lines);
    }
  }

  private void passOn(long bytes, long inputs, long lines) {
    if (passesOnReads) {
      job.rawBytesRead.addAndGet(bytes);
      job.inputsFinished.addAndGet(inputs);
    }
    if (passesOnLines) {
      job.linesWritten.addAndGet(lines);
    }
  }
}
