package dev.logmerge.merge.engine;

import dev.logmerge.core.job.JobResult;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a merge writes its output. Nothing written is visible to readers until {@link #commit()}
 * succeeds; {@link #abort()} discards everything. {@link #close()} aborts a sink that was not
 * committed, so try-with-resources never leaves a partial result behind.
 */
public abstract class ResultSink extends OutputStream {
  /** Makes the whole output visible as one object and says what was stored. */
  public abstract JobResult commit() throws IOException;

  /** Discards all output; safe to call more than once and after a failed commit. */
  public abstract void abort();

  /** Called by {@link #close()}: whether {@link #commit()} has succeeded. */
  protected abstract boolean committed();

  @Override
  public void close() {
    if (!committed()) {
      abort();
    }
  }
}
