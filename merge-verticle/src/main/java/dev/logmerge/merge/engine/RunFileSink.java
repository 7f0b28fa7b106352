package dev.logmerge.merge.engine;

import dev.logmerge.core.job.JobResult;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A merge's output as a new run file under the spill directory: {@link #commit()} hands the file to
 * its {@link SortedRuns}, which delete it when closed; {@link #abort()} deletes it at once. Writes
 * go straight to the file: the merge already writes in 64 KiB blocks.
 */
final class RunFileSink extends ResultSink {
  private static final Logger LOG = LoggerFactory.getLogger(RunFileSink.class);

  private final SortedRuns runs;
  private final Path spillDirectory;
  private final Path file;
  private final OutputStream out;
  private long size;
  private boolean committed;
  private boolean aborted;

  private RunFileSink(SortedRuns runs, Path spillDirectory) throws IOException {
    this.runs = runs;
    this.spillDirectory = spillDirectory;
    this.file = SortedRuns.createRunFile(spillDirectory);
    try {
      this.out = new FileOutputStream(file.toFile());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Opens a new run file of {@code runs} per merge (a merge that restarts opens another). */
  static ResultSinkFactory into(SortedRuns runs, Path spillDirectory) {
    return () -> new RunFileSink(runs, spillDirectory);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    try {
      out.write(bytes, offset, length);
    } catch (IOException e) {
      throw SpillSpace.writeFailed(spillDirectory, file, e);
    }
    size += length;
  }

  /** Says where the run is: a local run has no bucket nor ETag. */
  @Override
  public JobResult commit() throws IOException {
    if (aborted) {
      throw new IOException("run file " + file + " was aborted");
    }
    try {
      out.close();
    } catch (IOException e) {
      throw SpillSpace.writeFailed(spillDirectory, file, e);
    }
    runs.add(file, size);
    committed = true;
    return new JobResult(null, file.toString(), size, null);
  }

  @Override
  public void abort() {
    if (committed || aborted) {
      return;
    }
    aborted = true;
    try {
      out.close();
    } catch (IOException e) {
      // the file goes anyway
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete spill file {}: {}", file, e.toString());
    }
  }

  @Override
  protected boolean committed() {
    return committed;
  }
}
