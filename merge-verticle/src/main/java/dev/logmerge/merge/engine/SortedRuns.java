package dev.logmerge.merge.engine;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorted runs as local temp files: those of one unsorted input ({@link ExternalSorter}), or those
 * of one pass of a merge in passes ({@link MultiPassMerge}). Merging the runs yields their lines in
 * sorted order. {@link #close()} deletes the files.
 */
public final class SortedRuns implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(SortedRuns.class);

  private final String inputName;
  private final List<Run> runs = new ArrayList<>();
  private int runsWritten;

  /** One sorted run file, readable as a plain (uncompressed) merge input. */
  record Run(String name, Path file, long size) implements MergeInput {
    @Override
    public Compression compression() {
      return Compression.NONE;
    }

    /**
     * A {@link FileInputStream}, not a channel stream: an interrupt must not close it under the
     * merge.
     */
    @Override
    public InputStream open() throws IOException {
      return new FileInputStream(file.toFile());
    }
  }

  SortedRuns(String inputName) {
    this.inputName = inputName;
  }

  /** The runs, in the order they were written. */
  public List<? extends MergeInput> runs() {
    return List.copyOf(runs);
  }

  List<Run> files() {
    return List.copyOf(runs);
  }

  /** A new, empty run file under {@code spillDirectory}, for a run about to be written. */
  static Path createRunFile(Path spillDirectory) throws IOException {
    return Files.createTempFile(spillDirectory, "logmerge-run-", ".txt");
  }

  /** Takes ownership of a complete run file. */
  void add(Path file, long size) {
    runsWritten++;
    runs.add(new Run(inputName + " (sorted run " + runsWritten + ")", file, size));
  }

  void remove(Run run) throws IOException {
    runs.remove(run);
    Files.deleteIfExists(run.file());
  }

  /**
   * Deletes every run file. A file that cannot be deleted is logged rather than failing a finished
   * merge.
   */
  @Override
  public void close() {
    for (Run run : runs) {
      try {
        Files.deleteIfExists(run.file());
      } catch (IOException e) {
        LOG.warn("could not delete spill file {}: {}", run.file(), e.toString());
      }
    }
    runs.clear();
  }
}
