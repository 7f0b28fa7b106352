package dev.logmerge.merge.s3;

import dev.logmerge.core.job.FailureCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * One S3 object as a blocking stream of sequential ranged GETs ({@code Range: bytes=a-b}) of one
 * window each, with the next window always being fetched while the current one is read: at most two
 * windows are held.
 *
 * <p>Every window is a separate, complete GET, so a connection lost mid-body costs one window,
 * which is fetched again from the same offset (a streamed body could not be resumed). Every GET is
 * pinned to the listed version: it sends {@code If-Match} with the listed ETag, and each response
 * must still describe the listed object (total size from {@code Content-Range}, ETag, or
 * Last-Modified when there is no ETag), so an object replaced mid-merge fails the read instead of
 * mixing two versions.
 */
final class RangedGetInputStream extends InputStream {
  private static final byte[] NOTHING = new byte[0];

  private final S3AsyncClient client;
  private final LogObject object;
  private final int windowBytes;
  private final RequestLimiter limiter;
  private final RetryPolicy retry;
  private final String endpoint;

  private byte[] window = NOTHING;
  private int position;

  /**
   * The window being fetched ahead, starting at {@link #pendingOffset}; null past the end of the
   * object.
   */
  private CompletableFuture<WindowTransformer.Window> pending;

  private long pendingOffset;
  private IOException failure;
  private boolean closed;

  RangedGetInputStream(
      S3AsyncClient client,
      LogObject object,
      int windowBytes,
      RequestLimiter limiter,
      RetryPolicy retry,
      String endpoint) {
    this.client = client;
    this.object = object;
    this.windowBytes = windowBytes;
    this.limiter = limiter;
    this.retry = retry;
    this.endpoint = endpoint;
    this.pending = fetchFrom(0);
  }

  @Override
  public int read() throws IOException {
    return hasUnreadBytes() ? window[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (!hasUnreadBytes()) {
      return -1;
    }
    int n = Math.min(length, window.length - position);
    System.arraycopy(window, position, buffer, offset, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return closed || failure != null ? 0 : window.length - position;
  }

  /** Stops fetching and drops the windows held. */
  @Override
  public void close() {
    closed = true;
    discard();
  }

  /**
   * Whether an unread byte is at {@link #position}, after waiting for the next window if needed.
   */
  private boolean hasUnreadBytes() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("the stream of input " + name() + " is closed");
    }
    if (position < window.length) {
      return true;
    }
    if (pending == null) {
      return false;
    }
    window = NOTHING; // consumed: let it go before waiting for the next one
    position = 0;
    long offset = pendingOffset;
    byte[] next = verified(await(pending), offset);
    window = next;
    pendingOffset = offset + next.length;
    pending = fetchFrom(pendingOffset);
    return true;
  }

  private CompletableFuture<WindowTransformer.Window> fetchFrom(long offset) {
    if (offset >= object.size()) {
      return null; // includes empty objects: a range of an empty object is not satisfiable
    }
    int length = (int) Math.min(windowBytes, object.size() - offset);
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    GetObjectRequest request = object.get(range);
    return AsyncRetry.run(
        retry,
        "GET " + object.bucket() + "/" + name() + " " + range,
        () -> limiter.submit(() -> client.getObject(request, new WindowTransformer(length))));
  }

  private WindowTransformer.Window await(CompletableFuture<WindowTransformer.Window> fetch)
      throws IOException {
    try {
      return fetch.get();
    } catch (InterruptedException e) {
      discard();
      Thread.currentThread()
          .interrupt(); // the merge thread is being cancelled: let its other waits see it too
      throw fail(new InterruptedIOException("interrupted while reading input " + name()));
    } catch (ExecutionException e) {
      discard();
      throw fail(S3Failures.reading(endpoint, name(), e.getCause(), retry));
    } catch (CancellationException e) {
      throw new IOException("the stream of input " + name() + " was closed while reading", e);
    }
  }

  private byte[] verified(WindowTransformer.Window fetched, long offset) throws IOException {
    if (!object.isDescribedBy(fetched.response())) {
      discard();
      throw fail(S3Failures.changed(name(), null));
    }
    long expected = Math.min(windowBytes, object.size() - offset);
    if (fetched.received() != expected) {
      discard();
      throw fail(
          new S3IoException(
              FailureCode.INPUT_UNREADABLE,
              "S3 at "
                  + endpoint
                  + " returned "
                  + fetched.received()
                  + " bytes at offset "
                  + offset
                  + " of input "
                  + name()
                  + " instead of "
                  + expected,
              null));
    }
    return fetched.bytes();
  }

  private IOException fail(IOException cause) {
    failure = cause;
    return cause;
  }

  private void discard() {
    if (pending != null) {
      pending.cancel(true);
      pending = null;
    }
    window = NOTHING;
    position = 0;
  }

  private String name() {
    return object.key();
  }
}
