package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

/** The back-pressure of a streamed body, driven the way the SDK drives a subscriber. */
class ChunkQueueTest {
  private static final int KIB = 1024;

  /** What the queue asked the body for. */
  private static final class Demand implements Subscription {
    long requested;
    boolean cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Test
  void asksForAChunkOnlyWhileOneMoreFitsInTheBuffer() throws Exception {
    ChunkQueue queue = new ChunkQueue(256 * KIB, 1024 * KIB);
    Demand demand = new Demand();

    queue.onSubscribe(demand);
    assertEquals(1, demand.requested);
    queue.onNext(chunk(100 * KIB)); // 100 held; another 100 fits
    assertEquals(2, demand.requested);
    queue.onNext(chunk(100 * KIB)); // 200 held; another 100 would not fit 256
    assertEquals(2, demand.requested, "the body waits for the reader");

    queue.take(); // 100 held
    assertEquals(3, demand.requested, "room again: the reader asks on the body's behalf");
    queue.onNext(chunk(100 * KIB));
    assertEquals(3, demand.requested);
  }

  @Test
  void aChunkLargerThanTheBufferDoesNotStallTheBody() throws Exception {
    ChunkQueue queue = new ChunkQueue(16 * KIB, 1024 * KIB);
    Demand demand = new Demand();
    queue.onSubscribe(demand);

    queue.onNext(chunk(64 * KIB));
    assertEquals(1, demand.requested);
    queue.take();

    assertEquals(2, demand.requested, "nothing held: the next chunk may come, however large");
  }

  @Test
  void handsOverChunksInOrderAndThenTheFailureForGood() throws Exception {
    ChunkQueue queue = new ChunkQueue(256 * KIB, 1024 * KIB);
    queue.onSubscribe(new Demand());
    ByteBuffer first = chunk(10);
    IOException reset = new IOException("Connection reset");

    queue.onNext(first);
    queue.onError(reset);

    assertSame(first, queue.take());
    assertSame(reset, assertThrows(ExecutionException.class, queue::take).getCause());
    assertSame(reset, assertThrows(ExecutionException.class, queue::take).getCause());
  }

  @Test
  void aBodyThatEndsShortIsACutNotAnEnd() throws Exception {
    ChunkQueue queue = new ChunkQueue(256 * KIB, 100);
    queue.onSubscribe(new Demand());

    queue.onNext(chunk(60));
    queue.onComplete();

    assertEquals(60, queue.take().remaining());
    Throwable cut = assertThrows(ExecutionException.class, queue::take).getCause();
    assertInstanceOf(IOException.class, cut);
    assertEquals("the body ended after 60 of 100 bytes", cut.getMessage());
  }

  @Test
  void cancellingStopsTheBodyAndDropsWhatIsHeld() {
    ChunkQueue queue = new ChunkQueue(256 * KIB, 1024 * KIB);
    Demand demand = new Demand();
    queue.onSubscribe(demand);
    queue.onNext(chunk(10));

    queue.cancel();
    queue.onNext(chunk(10)); // in flight when cancelled

    assertTrue(demand.cancelled);
    assertEquals(2, demand.requested, "nothing asked for after the cancel");
    Demand late = new Demand();
    queue.onSubscribe(late);
    assertTrue(late.cancelled, "a body subscribing after the cancel is stopped at once");
  }

  private static ByteBuffer chunk(int bytes) {
    return ByteBuffer.allocate(bytes);
  }
}
