package dev.logmerge.merge.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Receives the body of one ranged GET straight into an array of the range's length, which is known
 * before the request. {@code AsyncResponseTransformer.toBytes()} instead grows a buffer as bytes
 * arrive and copies it once more at the end: twice the copying, and a second window-sized array at
 * the peak, which the read-ahead budget had to count as a third window per input.
 *
 * <p>A body shorter than the range fails like a cut connection, so the SDK fetches it again; one
 * longer (a server that ignored the range) is counted, not kept: the caller compares {@link
 * Window#received()} with the range's length.
 */
final class WindowTransformer
    implements AsyncResponseTransformer<GetObjectResponse, WindowTransformer.Window> {
  private final int rangeBytes;
  private volatile CompletableFuture<Window> result;
  private volatile GetObjectResponse response;

  /**
   * One fetched window.
   *
   * @param received bytes the body had: the window is complete only when this equals the array's
   *     length
   */
  record Window(GetObjectResponse response, byte[] bytes, long received) {}

  WindowTransformer(int rangeBytes) {
    this.rangeBytes = rangeBytes;
  }

  @Override
  public CompletableFuture<Window> prepare() {
    // called again for each retry of the SDK, even one after part of the body arrived: start afresh
    result = new CompletableFuture<>();
    return result;
  }

  @Override
  public void onResponse(GetObjectResponse headers) {
    response = headers;
  }

  @Override
  public void onStream(SdkPublisher<ByteBuffer> body) {
    body.subscribe(new Filler(new byte[rangeBytes], response, result));
  }

  @Override
  public void exceptionOccurred(Throwable error) {
    result.completeExceptionally(error);
  }

  /** Copies each chunk into the window as it arrives. */
  private static final class Filler implements Subscriber<ByteBuffer> {
    private final byte[] window;
    private final GetObjectResponse response;
    private final CompletableFuture<Window> result;
    private long received;

    Filler(byte[] window, GetObjectResponse response, CompletableFuture<Window> result) {
      this.window = window;
      this.response = response;
      this.result = result;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      // the range bounds the body: no back-pressure needed beyond it
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      int room = (int) Math.max(0, window.length - received);
      int length = chunk.remaining();
      chunk.get(window, (int) Math.min(received, window.length), Math.min(length, room));
      received += length;
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      if (received < window.length) {
        // cut short, as a connection lost midway would be: an IOException, which the SDK retries
        result.completeExceptionally(
            new IOException(
                "the body ended after " + received + " of " + window.length + " bytes"));
      } else {
        result.complete(new Window(response, window, received));
      }
    }
  }
}
