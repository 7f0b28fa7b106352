package dev.logmerge.http;

import static dev.logmerge.http.TestServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The back-pressure protocol between an S3 body publisher and a write stream. Signals are sent from the
 * test thread, as the SDK sends them from its own threads; each check runs on the pump's context after the
 * signals before it (the context runs tasks in order).
 */
@ExtendWith(VertxExtension.class)
class PublisherPumpTest {
  private final AtomicLong requested = new AtomicLong();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final Subscription subscription = new Subscription() {
    @Override
    public void request(long n) {
      requested.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  };
  private final RecordingStream target = new RecordingStream();
  private Context context;
  private Subscriber<? super ByteBuffer> subscriber;
  private PublisherPump pump;

  @BeforeEach
  void startPump(Vertx vertx) {
    context = vertx.getOrCreateContext();
    pump = onContext(() -> PublisherPump.start(s -> subscriber = s, target, context));
  }

  @Test
  void keepsAFixedNumberOfChunksRequestedWhileTheStreamHasRoom() {
    subscriber.onSubscribe(subscription);
    assertEquals(PublisherPump.CHUNKS_IN_FLIGHT, onContext(requested::get));

    subscriber.onNext(chunk("a"));
    subscriber.onNext(chunk("b"));

    assertEquals(List.of("a", "b"), onContext(target::written));
    assertEquals(PublisherPump.CHUNKS_IN_FLIGHT + 2, requested.get());
  }

  @Test
  void requestsNothingMoreWhileTheStreamIsFullAndResumesWhenItDrains() {
    subscriber.onSubscribe(subscription);
    target.full = true;

    subscriber.onNext(chunk("a"));

    assertEquals(List.of("a"), onContext(target::written));
    assertEquals(PublisherPump.CHUNKS_IN_FLIGHT, requested.get(), "a full stream asks for no more");
    target.full = false;
    onContext(() -> {
      target.drainHandler.handle(null);
      return null;
    });
    assertEquals(PublisherPump.CHUNKS_IN_FLIGHT + 1, requested.get());
  }

  @Test
  void copiesEachChunkBeforeThePublisherCanReuseItsBuffer() {
    subscriber.onSubscribe(subscription);
    ByteBuffer reused = chunk("first");

    subscriber.onNext(reused);
    reused.clear();
    reused.put("XXXXX".getBytes(StandardCharsets.US_ASCII));

    assertEquals(List.of("first"), onContext(target::written));
  }

  @Test
  void finishesWhenThePublisherCompletes() {
    subscriber.onSubscribe(subscription);
    subscriber.onNext(chunk("a"));
    subscriber.onComplete();

    await(pump.finished());
    assertEquals(List.of("a"), target.written());
  }

  @Test
  void failsWithThePublishersError() {
    subscriber.onSubscribe(subscription);
    IllegalStateException error = new IllegalStateException("connection reset by S3");

    subscriber.onError(error);

    assertSame(error, failureOf(pump.finished()));
  }

  @Test
  void cancelsTheSubscriptionAndWritesNothingMoreOnceCancelled() {
    subscriber.onSubscribe(subscription);
    RuntimeException reason = new RuntimeException("client went away");

    onContext(() -> {
      pump.cancel(reason);
      return null;
    });
    subscriber.onNext(chunk("late"));

    assertTrue(cancelled.get());
    assertEquals(List.of(), onContext(target::written));
    assertSame(reason, failureOf(pump.finished()));
  }

  @Test
  void cancelsASubscriptionThatArrivesAfterTheCancel() {
    onContext(() -> {
      pump.cancel(new RuntimeException("client went away"));
      return null;
    });

    subscriber.onSubscribe(subscription);

    assertTrue(onContext(cancelled::get));
    assertEquals(0, requested.get());
  }

  private <T> T onContext(Supplier<T> check) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> result.complete(check.get()));
    return await(result.future());
  }

  private static Throwable failureOf(Future<?> future) {
    Promise<Throwable> failure = Promise.promise();
    future.onComplete(done -> failure.complete(done.cause()));
    Throwable cause = await(failure.future());
    assertFalse(cause == null, "the pump should have failed");
    return cause;
  }

  private static ByteBuffer chunk(String text) {
    ByteBuffer buffer = ByteBuffer.allocate(text.length());
    buffer.put(text.getBytes(StandardCharsets.US_ASCII)).flip();
    return buffer;
  }

  /** A write stream that records what it is given and reports full when told to. */
  private static final class RecordingStream implements WriteStream<Buffer> {
    private final List<String> written = new ArrayList<>();
    volatile boolean full;
    Handler<Void> drainHandler;

    List<String> written() {
      return List.copyOf(written);
    }

    @Override
    public Future<Void> write(Buffer data) {
      written.add(data.toString(StandardCharsets.US_ASCII));
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drainHandler = handler;
      return this;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }
  }
}
