package dev.logmerge.merge.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Merges more inputs than are read at once: a job of at most {@code fanIn} inputs is one {@link
 * MergeEngine} merge; a larger one first merges groups of at most {@code groupSize} consecutive
 * inputs, each into a sorted run file under the spill directory, then those runs into the result
 * (runs in groups of {@code fanIn} again while there are more than {@code fanIn}: two passes hold
 * {@code fanIn × groupSize} inputs).
 *
 * <p>Groups and runs stay in input order and the engine breaks ties by order, so equal lines keep
 * their inputs' order across passes. Consecutive inputs are usually whole days, whose lines barely
 * overlap other days': the last pass then mostly copies runs. Disk: the first pass's runs hold
 * every input line, about the inputs' decompressed size; a further pass holds a second copy while
 * it runs. Run files are deleted whatever the outcome.
 */
public final class MultiPassMerge {
  /** Beyond this, bigger line buffers do not read local runs faster (see {@link MergeEngine}). */
  private static final int MAX_RUN_READ_BUFFER_BYTES = 64 * 1024;

  private final MergeEngine.Settings settings;
  private final int fanIn;
  private final int groupSize;
  private final long runReadBudgetBytes;

  /**
   * @param settings the engine's settings when it reads inputs
   * @param fanIn the most inputs (or runs) merged at once, at least 2: a job of more is merged in
   *     passes
   * @param groupSize the inputs merged into each run of the first pass, 2 to {@code fanIn}
   * @param runReadBudgetBytes line-buffer memory shared by the runs of a pass that reads runs (the
   *     inputs' read-ahead is free by then); each run gets between {@code
   *     settings.readBufferBytes()} and 64 KiB of it
   */
  public MultiPassMerge(
      MergeEngine.Settings settings, int fanIn, int groupSize, long runReadBudgetBytes) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (groupSize < 2 || fanIn < groupSize) {
      throw new IllegalArgumentException(
          "expected 2 <= groupSize <= fanIn, were " + groupSize + " and " + fanIn);
    }
    this.fanIn = fanIn;
    this.groupSize = groupSize;
    this.runReadBudgetBytes = runReadBudgetBytes;
  }

  /** Whether a job of {@code inputs} inputs is merged in more than one pass. */
  public boolean needsPasses(int inputs) {
    return inputs > fanIn;
  }

  /**
   * Merges {@code inputs} into a sink from {@code sinks}, like {@link MergeEngine#merge}: ties are
   * broken by input order, the sink is committed on success and aborted on any failure, and the
   * outcome names every input found unsorted.
   *
   * @param open the merge inputs of one group of consecutive inputs, asked once per group before
   *     the job starts, so that a group's inputs share what the caller gives a job (e.g. its
   *     read-ahead budget)
   * @param progress the job's: the inputs' raw bytes and finished inputs as they are first read,
   *     and the lines of the result
   */
  public <T> MergeOutcome merge(
      List<T> inputs,
      Function<List<T>, List<? extends MergeInput>> open,
      ResultSinkFactory sinks,
      MergeProgress progress)
      throws IOException {
    if (!needsPasses(inputs.size())) {
      return new MergeEngine(settings).merge(open.apply(inputs), sinks, progress);
    }
    List<List<? extends MergeInput>> groups = groups(inputs, groupSize).stream().map(open).toList();
    long rawBytes =
        groups.stream().flatMap(List::stream).mapToLong(i -> Math.max(0, i.size())).sum();
    SpillSpace.requireAtLeast(settings.spillDirectory(), rawBytes, inputs.size());
    progress.reset();
    List<String> unsorted = new ArrayList<>();
    SortedRuns runs = new SortedRuns("merge pass 1");
    try {
      MergeEngine engine = new MergeEngine(settings);
      for (List<? extends MergeInput> group : groups) {
        MergeOutcome run =
            engine.merge(
                group,
                RunFileSink.into(runs, settings.spillDirectory()),
                MergeProgress.ofInputPass(progress));
        unsorted.addAll(run.unsortedInputs());
      }
      for (int pass = 2; needsPasses(runs.runs().size()); pass++) {
        runs = mergeRunsInGroups(runs, pass);
      }
      MergeOutcome result =
          runEngine(runs.runs().size())
              .merge(runs.runs(), sinks, MergeProgress.ofFinalPass(progress));
      return new MergeOutcome(
          result.result(), result.linesWritten(), result.bytesWritten(), unsorted);
    } finally {
      runs.close();
    }
  }

  /**
   * One pass over runs that are still too many: each group of them becomes one run. The old runs
   * are deleted once the new ones are complete; on failure, the new ones.
   */
  private SortedRuns mergeRunsInGroups(SortedRuns runs, int pass) throws IOException {
    SortedRuns merged = new SortedRuns("merge pass " + pass);
    try {
      MergeEngine engine = runEngine(fanIn);
      for (List<? extends MergeInput> group : groups(runs.runs(), fanIn)) {
        // lines of intermediate runs are not lines of the result, and their reads are re-reads
        engine.merge(
            group, RunFileSink.into(merged, settings.spillDirectory()), new MergeProgress());
      }
    } catch (IOException | RuntimeException | Error e) {
      merged.close();
      throw e;
    }
    runs.close();
    return merged;
  }

  /** An engine for local runs, merged {@code runs} at a time within the run-read budget. */
  private MergeEngine runEngine(int runs) {
    long share = runReadBudgetBytes / Math.max(1, runs);
    int buffer =
        (int) Math.max(settings.readBufferBytes(), Math.min(MAX_RUN_READ_BUFFER_BYTES, share));
    return new MergeEngine(
        new MergeEngine.Settings(
            buffer, settings.spillDirectory(), settings.sortMemoryPerRunBytes()));
  }

  /** Consecutive groups of at most {@code size}, in order. */
  private static <T> List<List<T>> groups(List<T> items, int size) {
    List<List<T>> groups = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      groups.add(List.copyOf(items.subList(from, Math.min(items.size(), from + size))));
    }
    return groups;
  }
}
