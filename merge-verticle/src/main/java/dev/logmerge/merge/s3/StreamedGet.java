package dev.logmerge.merge.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object's bytes from one streaming GET ({@code Range: bytes=a-}), back-pressured through a
 * {@link ChunkQueue} of {@code bufferBytes}: one request per input rather than one per window of
 * it, since each request costs milliseconds of CPU on both ends.
 *
 * <p>The SDK retries the request until its headers arrive. A body cut after that (connection lost,
 * truncated) is requested again from the first byte not yet received, as long as the bodies bring
 * bytes: {@value #MAX_CUTS_WITHOUT_PROGRESS} cuts in a row without one fail the read. Every request
 * is pinned to the listed version ({@link LogObject#get}, {@link LogObject#isDescribedBy}), so an
 * object replaced mid-merge fails the read instead of mixing two versions. The connection stays
 * open while the input is read: a job streams only as many inputs as the S3 client has connections
 * for.
 *
 * <p>Not the SDK's {@code toBlockingInputStream()}: it buffers 4 MiB per stream, whatever the job's
 * read-ahead budget.
 */
final class StreamedGet implements ChunkInputStream.Source {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedGet.class);
  private static final int MAX_CUTS_WITHOUT_PROGRESS = 3;

  private final S3AsyncClient client;
  private final LogObject object;
  private final long bufferBytes;
  private final S3Failures failures;

  /** Bytes of the object handed to the reader. */
  private long delivered;

  private Body body;
  private int cutsWithoutProgress;

  StreamedGet(S3AsyncClient client, LogObject object, long bufferBytes, S3Failures failures) {
    this.client = client;
    this.object = object;
    this.bufferBytes = bufferBytes;
    this.failures = failures;
    // a range of an empty object is not satisfiable: it needs no request
    this.body = object.size() == 0 ? null : new Body(0);
  }

  @Override
  public ByteBuffer next() throws IOException {
    while (delivered < object.size()) {
      try {
        ByteBuffer chunk = body.queue.take();
        if (chunk.remaining() > object.size() - delivered) {
          throw body.tooLong(delivered + chunk.remaining());
        }
        if (chunk.hasRemaining()) {
          delivered += chunk.remaining();
          cutsWithoutProgress = 0;
        }
        return chunk;
      } catch (InterruptedException e) {
        close();
        Thread.currentThread().interrupt(); // the merge is being cancelled: let its waits see it
        throw new InterruptedIOException("interrupted while reading input " + object.key());
      } catch (ExecutionException e) {
        resumeOrFail(e.getCause());
      }
    }
    close();
    return null;
  }

  @Override
  public void close() {
    if (body != null) {
      body.cancel();
      body = null;
    }
  }

  /** Requests the rest again after a transient cut of the body, or fails the read. */
  private void resumeOrFail(Throwable error) throws S3IoException {
    boolean cut = body.streaming;
    close();
    // a request that failed before its body has been retried by the SDK already
    if (!cut || !S3Failures.isTransient(error)) {
      throw failures.reading(object.key(), error);
    }
    if (++cutsWithoutProgress >= MAX_CUTS_WITHOUT_PROGRESS) {
      throw failures.cutRepeatedly(object.key(), error, cutsWithoutProgress);
    }
    LOG.debug(
        "the body of {}/{} was cut at byte {}; requesting the rest: {}",
        object.bucket(),
        object.key(),
        delivered,
        error.toString());
    body = new Body(delivered);
  }

  /**
   * One GET of the object from {@code offset} to its end into {@link #queue}. Its future completes
   * with the headers, so the SDK retries nothing once the body flows.
   */
  private final class Body implements AsyncResponseTransformer<GetObjectResponse, Void> {
    final ChunkQueue queue;
    private final long offset;
    private final CompletableFuture<Void> request;
    private volatile CompletableFuture<Void> headers;
    private volatile GetObjectResponse response;
    private volatile boolean streaming;

    Body(long offset) {
      this.offset = offset;
      queue = new ChunkQueue(bufferBytes, object.size() - offset);
      request = client.getObject(object.get("bytes=" + offset + "-"), this);
      // refused, 412, 404, 5xx after the SDK's retries
      request.whenComplete(
          (ignored, error) -> {
            if (error != null) {
              queue.fail(error);
            }
          });
    }

    void cancel() {
      queue.cancel();
      request.cancel(true);
    }

    /** The failure of a body that brought more bytes than the object holds from its offset. */
    S3IoException tooLong(long endOffset) {
      return failures.wrongLength(object.key(), offset, endOffset - offset, object.size() - offset);
    }

    // called by the SDK, again for each of its retries

    @Override
    public CompletableFuture<Void> prepare() {
      headers = new CompletableFuture<>();
      return headers;
    }

    @Override
    public void onResponse(GetObjectResponse headers) {
      response = headers;
    }

    @Override
    public void onStream(SdkPublisher<ByteBuffer> publisher) {
      if (streaming) {
        publisher.subscribe(new Cancelling()); // a retry the SDK should not make: never twice
        return;
      }
      streaming = true;
      headers.complete(null); // first: from here on, a failure is the body's, not the request's
      if (!object.isDescribedBy(response)) {
        queue.fail(S3Failures.changed(object.key(), null));
        publisher.subscribe(new Cancelling());
      } else if (offset > 0 && !startsAt(response.contentRange(), offset)) {
        // a server that ignores Range would send the object's first bytes again
        queue.fail(failures.wrongRange(object.key(), offset, response.contentRange()));
        publisher.subscribe(new Cancelling());
      } else {
        publisher.subscribe(queue);
      }
    }

    @Override
    public void exceptionOccurred(Throwable error) {
      headers.completeExceptionally(error);
    }
  }

  /** Whether a {@code Content-Range} ({@code bytes a-b/total}) starts at {@code offset}. */
  private static boolean startsAt(String contentRange, long offset) {
    return contentRange != null && contentRange.startsWith("bytes " + offset + "-");
  }

  /** Frees the connection of a response that cannot be used. */
  private static final class Cancelling implements Subscriber<ByteBuffer> {
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
