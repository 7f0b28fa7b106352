package dev.logmerge.merge.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link MergeInput} over a byte array that records every stream it opened and whether it was
 * closed.
 */
final class InMemoryInput implements MergeInput {
  private final String name;
  private final byte[] raw;
  private final Compression compression;
  private final long failAfterBytes;
  private final List<TrackedStream> opened = new ArrayList<>();

  private InMemoryInput(String name, byte[] raw, Compression compression, long failAfterBytes) {
    this.name = name;
    this.raw = raw;
    this.compression = compression;
    this.failAfterBytes = failAfterBytes;
  }

  static InMemoryInput plain(String name, byte[] content) {
    return new InMemoryInput(name, content, Compression.NONE, -1);
  }

  static InMemoryInput plain(String name, String content) {
    return plain(name, Bytes.of(content));
  }

  /**
   * Gzip-compressed, as {@code memberCount} concatenated gzip members (like {@code cat a.gz b.gz}).
   */
  static InMemoryInput gzip(String name, byte[] content, int memberCount) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    int step = Math.max(1, content.length / Math.max(1, memberCount));
    int from = 0;
    do {
      int to = memberCount <= 1 ? content.length : Math.min(content.length, from + step);
      try (GZIPOutputStream member = new GZIPOutputStream(compressed)) {
        member.write(content, from, to - from);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      from = to;
    } while (from < content.length);
    return new InMemoryInput(name, compressed.toByteArray(), Compression.GZIP, -1);
  }

  /** Raw bytes said to be encoded with {@code compression}, whether or not they are. */
  static InMemoryInput encoded(String name, byte[] raw, Compression compression) {
    return new InMemoryInput(name, raw, compression, -1);
  }

  /** An input whose reads fail with an IOException once {@code failAfterBytes} were delivered. */
  static InMemoryInput failingAfter(String name, byte[] content, long failAfterBytes) {
    return new InMemoryInput(name, content, Compression.NONE, failAfterBytes);
  }

  /** The raw (still encoded) bytes. */
  byte[] raw() {
    return raw.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long size() {
    return raw.length;
  }

  @Override
  public Compression compression() {
    return compression;
  }

  @Override
  public synchronized InputStream open() {
    TrackedStream stream = new TrackedStream(new ByteArrayInputStream(raw));
    opened.add(stream);
    return stream;
  }

  synchronized int timesOpened() {
    return opened.size();
  }

  synchronized boolean allStreamsClosed() {
    return opened.stream().allMatch(stream -> stream.closed);
  }

  private final class TrackedStream extends FilterInputStream {
    private volatile boolean closed;
    private long delivered;

    TrackedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException("read after close");
      }
      if (failAfterBytes >= 0 && delivered >= failAfterBytes) {
        throw new IOException("simulated read failure in " + name);
      }
      int allowed =
          failAfterBytes >= 0
              ? (int) Math.min(length, Math.max(1, failAfterBytes - delivered))
              : length;
      int read = in.read(bytes, offset, allowed);
      if (read > 0) {
        delivered += read;
      }
      return read;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
