package dev.logmerge.merge.engine;

import dev.logmerge.core.job.JobResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A {@link ResultSinkFactory} of in-memory sinks that remembers every sink it opened. */
final class InMemorySinks implements ResultSinkFactory {
  private final List<Sink> opened = new ArrayList<>();

  @Override
  public synchronized Sink open() {
    Sink sink = new Sink("result-" + opened.size());
    opened.add(sink);
    return sink;
  }

  synchronized List<Sink> opened() {
    return List.copyOf(opened);
  }

  /** The only sink that was committed; fails if there is not exactly one. */
  synchronized Sink committed() {
    List<Sink> committed = opened.stream().filter(Sink::isCommitted).toList();
    if (committed.size() != 1) {
      throw new AssertionError("expected exactly one committed sink, got " + committed.size());
    }
    return committed.get(0);
  }

  static final class Sink extends ResultSink {
    private final String key;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean committed;
    private volatile boolean aborted;

    Sink(String key) {
      this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
      checkOpen();
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      checkOpen();
      bytes.write(b, off, len);
    }

    @Override
    public JobResult commit() throws IOException {
      checkOpen();
      committed = true;
      return new JobResult("merged", key, bytes.size(), "etag-" + key);
    }

    @Override
    public void abort() {
      if (!committed) {
        aborted = true;
      }
    }

    @Override
    protected boolean committed() {
      return committed;
    }

    boolean isCommitted() {
      return committed;
    }

    boolean isAborted() {
      return aborted;
    }

    byte[] content() {
      return bytes.toByteArray();
    }

    private void checkOpen() throws IOException {
      if (committed || aborted) {
        throw new IOException(
            "sink " + key + " is already " + (committed ? "committed" : "aborted"));
      }
    }
  }
}
