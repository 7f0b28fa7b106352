package dev.logmerge.merge.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * One S3 object as a blocking stream over a single streaming GET ({@code Range: bytes=a-}),
 * back-pressured: the body is requested chunk by chunk while the next chunk still fits in {@code
 * bufferBytes}, so a slow reader stops the transfer (TCP flow control) instead of filling memory,
 * and the input holds at most its share of the read-ahead. One request per input instead of one per
 * window: a ranged GET costs milliseconds of CPU on both ends, which dominated merges of many
 * inputs.
 *
 * <p>A body that fails midway (connection lost, truncated) is requested again from the first byte
 * not yet received, up to the retry policy's attempts without progress in between; every request is
 * pinned to the listed version with {@code If-Match} and a check of the response, so an object
 * replaced mid-merge fails the read instead of mixing two versions. The connection stays open while
 * the input is read: a job may only stream as many inputs as the S3 client has connections for (see
 * {@link S3ObjectInput#forJob}).
 */
final class StreamedGetInputStream extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedGetInputStream.class);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final S3AsyncClient client;
  private final LogObject object;
  private final long bufferBytes;
  private final RetryPolicy retry;
  private final String endpoint;

  /**
   * Bytes of the object handed to the reader, i.e. the offset of {@link #current}'s end in the
   * object.
   */
  private long delivered;

  private ByteBuffer current = EMPTY;
  private Body body;

  /** Failed requests since the reader last received a byte. */
  private int failuresWithoutProgress;

  private IOException failure;
  private boolean closed;

  StreamedGetInputStream(
      S3AsyncClient client,
      LogObject object,
      long bufferBytes,
      RetryPolicy retry,
      String endpoint) {
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("bufferBytes must be positive, was " + bufferBytes);
    }
    this.client = client;
    this.object = object;
    this.bufferBytes = bufferBytes;
    this.retry = retry;
    this.endpoint = endpoint;
    this.body =
        object.size() == 0 ? null : new Body(0); // a range of an empty object is not satisfiable
  }

  @Override
  public int read() throws IOException {
    return hasUnreadBytes() ? current.get() & 0xff : -1;
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
    int n = Math.min(length, current.remaining());
    current.get(buffer, offset, n);
    return n;
  }

  @Override
  public int available() {
    return closed || failure != null ? 0 : current.remaining();
  }

  /** Stops the transfer and drops what is buffered. */
  @Override
  public void close() {
    closed = true;
    discard();
  }

  /** Bytes received and not yet handed to the reader; for tests of the back-pressure. */
  long bufferedBytes() {
    Body open = body;
    return open == null ? 0 : open.buffered.get();
  }

  /**
   * Whether an unread byte is at {@link #current}'s position, after waiting for the next chunk if
   * needed.
   */
  private boolean hasUnreadBytes() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("the stream of input " + inputName() + " is closed");
    }
    while (!current.hasRemaining()) {
      if (delivered == object.size()) {
        discard();
        return false;
      }
      current = EMPTY; // consumed: let it go before waiting for the next one
      Object next = body.take();
      if (next instanceof ByteBuffer chunk) {
        current = chunk;
        delivered += chunk.remaining();
        failuresWithoutProgress = 0;
      } else {
        recover((Throwable) next);
      }
    }
    return true;
  }

  /**
   * Requests the object again from the first byte not yet received after a transient failure, or
   * fails the stream. A body that ended early counts as transient: the server or a proxy cut it.
   */
  private void recover(Throwable error) throws IOException {
    body.cancel();
    failuresWithoutProgress++;
    if (!S3Failures.isTransient(error) || failuresWithoutProgress >= retry.maxAttempts()) {
      body = null;
      throw fail(S3Failures.reading(endpoint, inputName(), error, retry));
    }
    Duration pause = retry.backoffBeforeRetry(failuresWithoutProgress);
    LOG.debug(
        "GET {}/{} from byte {} failed ({} of {} attempts), again in {} ms: {}",
        object.bucket(),
        inputName(),
        delivered,
        failuresWithoutProgress,
        retry.maxAttempts(),
        pause.toMillis(),
        error.toString());
    try {
      TimeUnit.NANOSECONDS.sleep(pause.toNanos());
    } catch (InterruptedException e) {
      throw interrupted();
    }
    body = new Body(delivered);
  }

  private IOException interrupted() {
    discard();
    Thread.currentThread()
        .interrupt(); // the merge thread is being cancelled: let its other waits see it too
    return fail(new InterruptedIOException("interrupted while reading input " + inputName()));
  }

  private IOException fail(IOException cause) {
    failure = cause;
    return cause;
  }

  private void discard() {
    if (body != null) {
      body.cancel();
      body = null;
    }
    current = EMPTY;
  }

  /**
   * Not {@code name()}: {@link AsyncResponseTransformer}, which {@link Body} implements, has one
   * ("Unknown").
   */
  private String inputName() {
    return object.key();
  }

  /**
   * One GET of the object from {@code offset} to its end. SDK threads put chunks, then the end or a
   * failure, into {@link #arrived}; the reader takes them. Demand is one chunk at a time, and only
   * while another chunk as large as the largest one yet still fits in the buffer (or nothing is
   * held, so a chunk larger than the buffer cannot stall the body): the SDK thread asks as a chunk
   * arrives, else the reader asks once it has taken enough.
   */
  private final class Body
      implements AsyncResponseTransformer<GetObjectResponse, Void>, Subscriber<ByteBuffer> {
    private final long offset;
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final AtomicLong buffered = new AtomicLong();

    /** The largest chunk received: what the next one may take. */
    private volatile int largestChunk;

    private final CompletableFuture<Void> request;
    private volatile GetObjectResponse response;

    /** What the SDK's future of the current attempt waits for: the end of the body. */
    private volatile CompletableFuture<Void> attempt;

    // guarded by this: the SDK thread and the reader both request, never at once
    private Subscription subscription;
    private boolean waitingForRoom;
    private boolean cancelled;

    /** Bytes received by the subscriber (SDK threads only, one signal at a time). */
    private long received;

    Body(long offset) {
      this.offset = offset;
      this.request = client.getObject(object.get("bytes=" + offset + "-"), this);
      // failures before the body (refused, 412, 404, 5xx after the SDK's retries) end here
      request.whenComplete(
          (ignored, error) -> {
            if (error != null) {
              arrived.add(error);
            }
          });
    }

    /** The next chunk, or the failure that ended this body. */
    Object take() throws IOException {
      Object next;
      try {
        next = arrived.take();
      } catch (InterruptedException e) {
        throw interrupted();
      }
      if (next instanceof ByteBuffer chunk) {
        buffered.addAndGet(-chunk.remaining());
        if (hasRoomForAChunk()) {
          requestIfWaiting();
        }
      }
      return next;
    }

    void cancel() {
      Subscription open;
      synchronized (this) {
        cancelled = true;
        open = subscription;
      }
      if (open != null) {
        open.cancel();
      }
      request.cancel(true);
      arrived.clear();
      buffered.set(0);
    }

    // ---- AsyncResponseTransformer: called by the SDK, possibly again for each of its own retries

    @Override
    public CompletableFuture<Void> prepare() {
      attempt = new CompletableFuture<>();
      return attempt;
    }

    @Override
    public void onResponse(GetObjectResponse headers) {
      response = headers;
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
      if (!object.isDescribedBy(response)) {
        S3IoException changed = S3Failures.changed(inputName(), null);
        arrived.add(changed);
        attempt.completeExceptionally(changed);
        publisher.subscribe(new CancellingSubscriber());
        return;
      }
      publisher.subscribe(this);
    }

    @Override
    public void exceptionOccurred(Throwable error) {
      // the SDK may prepare another attempt after this; a final failure also fails the request
      // future
      attempt.completeExceptionally(error);
    }

    // ---- Subscriber: the body's chunks, on SDK threads

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
        // more when it
        // finds this waiting
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
      attempt.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      long expected = object.size() - offset;
      if (received != expected) {
        // transient, like any IOException: requested again from where it stopped
        arrived.add(
            new IOException(
                "S3 at "
                    + endpoint
                    + " ended input "
                    + inputName()
                    + " after "
                    + received
                    + " of "
                    + expected
                    + " bytes from offset "
                    + offset));
      }
      // complete: the reader stops at the object's size without waiting for an end marker
      attempt.complete(null);
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

  /** Frees the connection of a response that cannot be used. */
  private static final class CancellingSubscriber implements Subscriber<ByteBuffer> {
    @Override
    public void onSubscribe(Subscription s) {
      s.cancel();
    }

    @Override
    public void onNext(ByteBuffer chunk) {}

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onComplete() {}
  }
}
