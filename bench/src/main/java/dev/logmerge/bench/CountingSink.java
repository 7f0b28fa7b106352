package dev.logmerge.bench;

import dev.logmerge.core.job.JobResult;
import dev.logmerge.merge.engine.ResultSink;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A sink that counts what it is given, so a benchmark measures the merge and not the storage; it
 * may also pass the bytes on, for the one-off check that two merges agree.
 */
final class CountingSink extends ResultSink {
  private final OutputStream copy;
  private long size;
  private boolean committed;

  CountingSink() {
    this(OutputStream.nullOutputStream());
  }

  CountingSink(OutputStream copy) {
    this.copy = copy;
  }

  @Override
  public void write(int b) throws IOException {
    copy.write(b);
    size++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    copy.write(bytes, offset, length);
    size += length;
  }

  @Override
  public JobResult commit() {
    committed = true;
    return new JobResult("memory", "counted", size, null);
  }

  @Override
  public void abort() {
    size = 0;
  }

  @Override
  protected boolean committed() {
    return committed;
  }
}
