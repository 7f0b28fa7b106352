package dev.logmerge.merge.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An object's bytes from sequential ranged GETs ({@code Range: bytes=a-b}) of one window each, the
 * next window always being fetched while the current one is read: at most two windows are held.
 * GETs wait for the job's {@link RequestLimiter}, so a job with thousands of inputs holds few
 * connections.
 *
 * <p>Every window is a complete request, which the SDK retries whole, even when its body was cut
 * midway. Every GET is pinned to the listed version ({@link LogObject#get}, {@link
 * LogObject#isDescribedBy}), so an object replaced mid-merge fails the read instead of mixing two
 * versions.
 */
final class RangedGets implements ChunkInputStream.Source {
  private final S3AsyncClient client;
  private final LogObject object;
  private final int windowBytes;
  private final RequestLimiter limiter;
  private final S3Failures failures;

  /** The window being fetched ahead, starting at {@link #pendingOffset}; null past the end. */
  private CompletableFuture<WindowTransformer.Window> pending;

  private long pendingOffset;

  RangedGets(
      S3AsyncClient client,
      LogObject object,
      int windowBytes,
      RequestLimiter limiter,
      S3Failures failures) {
    this.client = client;
    this.object = object;
    this.windowBytes = windowBytes;
    this.limiter = limiter;
    this.failures = failures;
    this.pending = fetchFrom(0);
  }

  @Override
  public ByteBuffer next() throws IOException {
    if (pending == null) {
      return null;
    }
    long offset = pendingOffset;
    byte[] window = verified(await(pending), offset);
    pendingOffset = offset + window.length;
    pending = fetchFrom(pendingOffset);
    return ByteBuffer.wrap(window);
  }

  @Override
  public void close() {
    if (pending != null) {
      pending.cancel(true);
      pending = null;
    }
  }

  private CompletableFuture<WindowTransformer.Window> fetchFrom(long offset) {
    if (offset >= object.size()) {
      return null; // includes empty objects: a range of an empty object is not satisfiable
    }
    int length = (int) Math.min(windowBytes, object.size() - offset);
    var request = object.get("bytes=" + offset + "-" + (offset + length - 1));
    return limiter.submit(() -> client.getObject(request, new WindowTransformer(length)));
  }

  private WindowTransformer.Window await(CompletableFuture<WindowTransformer.Window> fetch)
      throws IOException {
    try {
      return fetch.get();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt(); // the merge is being cancelled: let its waits see it
      throw new InterruptedIOException("interrupted while reading input " + object.key());
    } catch (ExecutionException e) {
      throw failures.reading(object.key(), e.getCause());
    } catch (CancellationException e) {
      throw failures.reading(object.key(), e); // not by close(): this reader does not read after it
    }
  }

  private byte[] verified(WindowTransformer.Window fetched, long offset) throws IOException {
    if (!object.isDescribedBy(fetched.response())) {
      throw S3Failures.changed(object.key(), null);
    }
    long expected = Math.min(windowBytes, object.size() - offset);
    if (fetched.received() != expected) {
      throw failures.wrongLength(object.key(), offset, fetched.received(), expected);
    }
    return fetched.bytes();
  }
}
