package dev.logmerge.merge.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The chunks of one response body on their way from the SDK's threads to the reader, with
 * back-pressure: a chunk is requested only while another one as large as the largest yet still fits
 * in {@code bufferBytes} (or nothing is held, so a chunk larger than the buffer cannot stall the
 * body). The SDK thread asks as a chunk arrives; else the reader asks once it has taken enough. So
 * a slow reader stops the transfer (TCP flow control) instead of filling memory.
 *
 * <p>The body is expected to hold {@code expectedBytes}: one that ends short fails the queue with
 * an {@link IOException}, as a connection cut midway would.
 */
final class ChunkQueue implements Subscriber<ByteBuffer> {
  private final long bufferBytes;
  private final long expectedBytes;

  /** Chunks, then at most one failure (a Throwable). */
  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();

  private final AtomicLong buffered = new AtomicLong();

  /** The largest chunk received: what the next one may take. */
  private volatile int largestChunk;

  // guarded by this: the SDK thread and the reader both request, never at once
  private Subscription subscription;
  private boolean waitingForRoom;
  private boolean cancelled;

  /** Bytes received (SDK threads only, one signal at a time). */
  private long received;

  ChunkQueue(long bufferBytes, long expectedBytes) {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("bufferBytes must be positive, was " + bufferBytes);
    }
    this.bufferBytes = bufferBytes;
    this.expectedBytes = expectedBytes;
  }

  /**
   * The next chunk, waiting for it; fails with the failure that ended the body. Call only while
   * bytes are expected: after the last chunk nothing more arrives.
   */
  ByteBuffer take() throws InterruptedException, ExecutionException {
    Object next = arrived.take();
    if (!(next instanceof ByteBuffer chunk)) {
      arrived.add(next); // the failure stays the answer
      throw new ExecutionException((Throwable) next);
    }
    buffered.addAndGet(-chunk.remaining());
    if (hasRoomForAChunk()) {
      requestIfWaiting();
    }
    return chunk;
  }

  /** Ends the body with a failure that came from elsewhere than the body (e.g. the request). */
  void fail(Throwable failure) {
    arrived.add(failure);
  }

  /** Stops the body and drops what is held. */
  void cancel() {
    Subscription open;
    synchronized (this) {
      cancelled = true;
      open = subscription;
    }
    if (open != null) {
      open.cancel();
    }
    arrived.clear();
    buffered.set(0);
  }

  @Override
  public void onSubscribe(Subscription s) {
    synchronized (this) {
      if (cancelled) {
        s.cancel();
        return;
      }
      subscription = s;
      s.request(1);
    }
  }

  @Override
  public void onNext(ByteBuffer chunk) {
    received += chunk.remaining();
    largestChunk = Math.max(largestChunk, chunk.remaining());
    buffered.addAndGet(chunk.remaining());
    arrived.add(chunk);
    synchronized (this) {
      if (cancelled) {
        return;
      }
      // read again under the lock: the reader may have taken chunks since, and it only asks for
      // more when it finds this waiting
      if (hasRoomForAChunk()) {
        subscription.request(1);
      } else {
        waitingForRoom = true;
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    arrived.add(error);
  }

  @Override
  public void onComplete() {
    if (received != expectedBytes) {
      arrived.add(
          new IOException("the body ended after " + received + " of " + expectedBytes + " bytes"));
    }
  }

  private boolean hasRoomForAChunk() {
    long held = buffered.get();
    return held == 0 || held + largestChunk <= bufferBytes;
  }

  private void requestIfWaiting() {
    synchronized (this) {
      if (waitingForRoom && !cancelled) {
        waitingForRoom = false;
        subscription.request(1);
      }
    }
  }
}
