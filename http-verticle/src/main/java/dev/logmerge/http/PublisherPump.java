package dev.logmerge.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Copies a Reactive Streams publisher of byte buffers (an S3 GetObject body) into a Vert.x write stream
 * with back-pressure: it keeps {@link #CHUNKS_IN_FLIGHT} chunks requested, and replaces each one written
 * only while the write stream has room, else once it drains. So one download holds at most the write
 * queue's high-water mark plus that many chunks in this JVM, whatever the object's size, and a slow client
 * slows the S3 read instead of filling memory.
 *
 * <p>The publisher signals on SDK threads; every signal hops to the given Vert.x context, which alone
 * touches the subscription and the stream. Reactive Streams delivers signals one after another, and
 * {@code runOnContext} keeps their order.
 */
final class PublisherPump implements Subscriber<ByteBuffer> {
  /**
   * Chunks (a few KiB each from the SDK) requested ahead. One at a time made every chunk wait for two thread
   * hops, which capped a download at a fraction of what S3 sends; a small credit keeps S3 streaming.
   */
  static final int CHUNKS_IN_FLIGHT = 16;

  private final Context context;
  private final WriteStream<Buffer> target;
  private final Promise<Void> finished = Promise.promise();

  // touched on the context only
  private Subscription subscription;
  /** Chunks written since the last request: the credit to hand back once the stream has room. */
  private int chunksToRequest;
  private boolean stopped;

  private PublisherPump(Context context, WriteStream<Buffer> target) {
    this.context = context;
    this.target = target;
  }

  /**
   * Subscribes to the publisher and starts copying; call on {@code context}. The target is not ended:
   * the caller decides how to finish once {@link #finished()} completes.
   */
  static PublisherPump start(Publisher<ByteBuffer> publisher, WriteStream<Buffer> target, Context context) {
    PublisherPump pump = new PublisherPump(context, target);
    target.drainHandler(drained -> pump.resume());
    publisher.subscribe(pump);
    return pump;
  }

  /** Succeeds once the publisher completed and its last chunk was written; fails with its error or the cancel reason. */
  Future<Void> finished() {
    return finished.future();
  }

  /** Stops early (the client went away): cancels the subscription, so S3 stops sending. Call on the context. */
  void cancel(Throwable reason) {
    if (stopped) {
      return;
    }
    stopped = true;
    if (subscription != null) {
      subscription.cancel();
    }
    finished.tryFail(reason);
  }

  @Override
  public void onSubscribe(Subscription s) {
    context.runOnContext(v -> {
      if (stopped) {
        // cancelled before the subscription arrived: release the S3 connection at once
        s.cancel();
        return;
      }
      subscription = s;
      s.request(CHUNKS_IN_FLIGHT);
    });
  }

  @Override
  public void onNext(ByteBuffer chunk) {
    // copy now: the publisher may reuse the buffer once this method returns
    byte[] bytes = new byte[chunk.remaining()];
    chunk.get(bytes);
    context.runOnContext(v -> write(Buffer.buffer(bytes)));
  }

  @Override
  public void onError(Throwable error) {
    context.runOnContext(v -> {
      stopped = true;
      finished.tryFail(error);
    });
  }

  @Override
  public void onComplete() {
    context.runOnContext(v -> {
      stopped = true;
      finished.tryComplete();
    });
  }

  private void write(Buffer chunk) {
    if (stopped) {
      return;
    }
    target.write(chunk);
    chunksToRequest++;
    if (!target.writeQueueFull()) {
      requestWrittenChunks();
    }
  }

  private void resume() {
    if (!stopped) {
      requestWrittenChunks();
    }
  }

  private void requestWrittenChunks() {
    if (chunksToRequest > 0) {
      subscription.request(chunksToRequest);
      chunksToRequest = 0;
    }
  }
}
