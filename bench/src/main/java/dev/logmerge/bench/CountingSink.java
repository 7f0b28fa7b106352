package dev.logmerge.bench;

import dev.logmerge.merge.engine.ResultSink;

/** A sink that only counts what it is given, so a benchmark measures the merge and not the storage. */
final class CountingSink extends ResultSink {
  private long size;
  private boolean committed;

  @Override
  public void write(int b) {
    size++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    size += length;
  }

  @Override
  public StoredResult commit() {
    committed = true;
    return new StoredResult("memory", "counted", size, null);
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
