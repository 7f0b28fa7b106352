package dev.logmerge.merge.s3;

import static dev.logmerge.merge.s3.S3Fixture.awaitTrue;
import static dev.logmerge.merge.s3.S3Fixture.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.FailureCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both ways of reading an input, against S3Proxy behind a fault-injecting proxy: ranged GETs of
 * small windows, and one back-pressured streaming GET with a small buffer.
 */
class S3ObjectInputTest {
  private static final String BUCKET = "logs";
  private static final int WINDOW = 1024;

  /**
   * Short backoffs keep the failure tests quick; enough attempts to outlast the faults they inject.
   */
  private static final RetryPolicy QUICK_RETRIES =
      new RetryPolicy(12, Duration.ofMillis(5), Duration.ofMillis(20));

  private static final AtomicInteger SERIALS = new AtomicInteger();

  enum Mode {
    RANGED,
    STREAMED;

    S3ObjectInput input(LogObject object, RetryPolicy retry) {
      return new S3ObjectInput(
          s3.proxied, object, WINDOW, this == RANGED ? new RequestLimiter(32) : null, retry);
    }

    /**
     * Big enough that a stream cannot be all in flight (socket buffers hold a few hundred KiB),
     * small enough for 1 KiB windows to be quick.
     */
    int objectBytes() {
      return this == RANGED ? 100 * 1024 : 8 * 1024 * 1024;
    }
  }

  @RegisterExtension static final S3Fixture s3 = new S3Fixture();

  @BeforeAll
  static void start() {
    s3.createBucket(BUCKET);
  }

  @AfterEach
  void healTheNetwork() {
    s3.proxy.heal();
  }

  static Stream<Arguments> sizes() {
    return Stream.of(Mode.values())
        .flatMap(
            mode ->
                Stream.of(1, 1023, 1024, 1025, 4097, 100 * 1024, 100 * 1024 + 7)
                    .map(size -> Arguments.of(mode, size)));
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void readsAnObjectByteExact(Mode mode, int size) throws IOException {
    byte[] content = randomBytes(size, size);
    S3ObjectInput input = input(mode, content, QUICK_RETRIES);

    try (InputStream in = input.open()) {
      assertArrayEquals(content, in.readAllBytes());
      assertEquals(-1, in.read());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void readsByteByByteAcrossWindowAndChunkBoundaries(Mode mode) throws IOException {
    byte[] content = randomBytes(3 * WINDOW + 5, 3);
    try (InputStream in = input(mode, content, QUICK_RETRIES).open()) {
      for (byte expected : content) {
        assertEquals(expected & 0xff, in.read());
      }
      assertEquals(-1, in.read());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void readsAnEmptyObjectWithoutARangedGet(Mode mode) throws IOException {
    // S3 answers 416 to any range of an empty object, so success shows that no GET was sent
    S3ObjectInput input = input(mode, new byte[0], QUICK_RETRIES);

    try (InputStream in = input.open()) {
      assertEquals(-1, in.read());
      assertEquals(0, in.readAllBytes().length);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eachOpenStartsAgainFromTheFirstByte(Mode mode) throws IOException {
    byte[] content = randomBytes(10 * WINDOW + 3, 10);
    S3ObjectInput input = input(mode, content, QUICK_RETRIES);

    try (InputStream first = input.open()) {
      assertArrayEquals(Arrays.copyOf(content, 4000), first.readNBytes(4000));
    }
    try (InputStream again = input.open()) {
      assertArrayEquals(content, again.readAllBytes());
    }
  }

  @Test
  void aJobWithFewEnoughInputsStreamsEachAndSplitsTheBudget() throws IOException {
    List<LogObject> objects = List.of(object(randomBytes(5000, 1)), object(randomBytes(5000, 2)));
    List<S3ObjectInput> inputs =
        S3ObjectInput.forJob(
            s3.proxied, objects, new InputReadSettings(1L << 20, 2, 4, QUICK_RETRIES));

    for (int i = 0; i < inputs.size(); i++) {
      assertTrue(inputs.get(i).streamed());
      assertEquals(512 * 1024, inputs.get(i).readAheadBytes(), "2 inputs share 1 MiB");
      try (InputStream in = inputs.get(i).open()) {
        assertArrayEquals(randomBytes(5000, i + 1), in.readAllBytes());
      }
    }
  }

  @Test
  void inputsOfAJobWithMoreThanTheStreamLimitShareTheCapOnConcurrentGets() throws Exception {
    List<LogObject> objects =
        List.of(
            object(randomBytes(5000, 1)),
            object(randomBytes(5000, 2)),
            object(randomBytes(5000, 3)),
            object(randomBytes(5000, 4)),
            object(randomBytes(5000, 5)));
    List<S3ObjectInput> inputs =
        S3ObjectInput.forJob(
            s3.proxied, objects, new InputReadSettings(64L << 20, 4, 2, QUICK_RETRIES));
    RequestLimiter shared = inputs.get(0).limiter();
    inputs.forEach(input -> assertFalse(input.streamed()));
    inputs.forEach(input -> assertSame(shared, input.limiter()));
    assertEquals(
        ReadAheadBudget.windowBytes(64L << 20, 5),
        inputs.get(0).readAheadBytes(),
        "5 inputs share 64 MiB");

    s3.proxy.pause();
    List<InputStream> streams = inputs.stream().map(S3ObjectInput::open).toList();
    awaitTrue(() -> shared.running() == 2, "two GETs hang on the paused network");
    assertEquals(2, shared.running(), "the other three wait without a connection");
    s3.proxy.heal();

    for (int i = 0; i < inputs.size(); i++) {
      try (InputStream in = streams.get(i)) {
        assertArrayEquals(randomBytes(5000, i + 1), in.readAllBytes());
      }
    }
  }

  @Test
  void aStreamStopsTheTransferWhileItsReaderIsBehind() throws Exception {
    byte[] content = randomBytes(8 * 1024 * 1024, 21);
    try (InputStream in = Mode.STREAMED.input(object(content), QUICK_RETRIES).open()) {
      StreamedGetInputStream stream = (StreamedGetInputStream) in;
      assertEquals(content[0] & 0xff, in.read());
      Thread.sleep(500); // time for a body without back-pressure to arrive whole

      // the 1 KiB buffer plus the chunk that filled it: the SDK delivers chunks of at most a few
      // dozen KiB
      assertTrue(
          stream.bufferedBytes() < 128 * 1024, "buffered " + stream.bufferedBytes() + " bytes");
      byte[] rest = in.readAllBytes();
      assertArrayEquals(Arrays.copyOfRange(content, 1, content.length), rest);
    }
  }

  @Test
  void aStreamHoldsNoMoreThanItsBufferWhileItsReaderIsBehind() throws Exception {
    byte[] content = randomBytes(8 * 1024 * 1024, 22);
    int bufferBytes = 256 * 1024;
    try (StreamedGetInputStream in =
        new StreamedGetInputStream(
            s3.proxied, object(content), bufferBytes, QUICK_RETRIES, s3.proxiedEndpoint())) {
      assertEquals(content[0] & 0xff, in.read());
      Thread.sleep(
          500); // time to fill the buffer, and to overfill it if the next chunk were asked for
      // regardless

      long held = in.bufferedBytes();
      // the last chunk asked for must have fitted: without that rule the input holds its buffer
      // plus a chunk
      assertTrue(held > 0 && held <= bufferBytes, "buffered " + held + " bytes of " + bufferBytes);
      assertArrayEquals(Arrays.copyOfRange(content, 1, content.length), in.readAllBytes());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aReadBlockedOnTheNetworkEndsWithInterruptedIOExceptionWhenInterrupted(Mode mode)
      throws Exception {
    S3ObjectInput input = input(mode, randomBytes(10 * WINDOW, 11), QUICK_RETRIES);
    s3.proxy.pause();
    InputStream in = input.open();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                in.read();
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            },
            "merge-thread");
    reader.start();
    awaitTrue(
        () -> reader.getState() == Thread.State.WAITING, "the read blocks on the first bytes");

    reader.interrupt();

    assertInstanceOf(InterruptedIOException.class, outcome.get(10, TimeUnit.SECONDS));
    if (mode == Mode.RANGED) {
      awaitTrue(
          () -> input.limiter().running() == 0,
          "the GET in flight was cancelled and its permit released");
    }
    assertInstanceOf(
        InterruptedIOException.class,
        assertThrows(IOException.class, in::read),
        "the stream stays failed");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectionsCutMidResponseAreRetriedFromTheSameOffset(Mode mode) throws IOException {
    byte[] content = randomBytes(mode.objectBytes(), 100);
    try (InputStream in = input(mode, content, QUICK_RETRIES).open()) {
      byte[] head = in.readNBytes(30 * 1024);

      // a 1 KiB window's response is ~1.4 KB, and the open stream has relayed more: every
      // connection dies mid-body,
      // more often than the SDK retries
      int cutBefore = s3.proxy.connectionsCut();
      s3.proxy.cutResponsesAfter(600, 10);
      byte[] rest = in.readAllBytes();

      assertArrayEquals(content, concat(head, rest));
      assertEquals(
          cutBefore + 10, s3.proxy.connectionsCut(), "every injected fault hit a response");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void s3DownForGoodFailsAsTransientAfterTheRetries(Mode mode) throws IOException {
    RetryPolicy twoQuickAttempts = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5));
    S3ObjectInput input = input(mode, randomBytes(4 * WINDOW, 4), twoQuickAttempts);
    s3.proxy.refuseNewConnections();
    s3.proxy.dropOpenConnections();

    S3IoException error;
    try (InputStream in = input.open()) {
      error = assertThrows(S3IoException.class, in::readAllBytes);
    }

    assertTrue(error.isTransient());
    assertEquals(FailureCode.S3_UNAVAILABLE, error.code());
    assertEquals(
        "S3 at "
            + s3.proxiedEndpoint()
            + " refused the connection while reading input "
            + input.name()
            + " (gave up after 2 attempts)",
        error.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anObjectReplacedMidReadFailsAsChanged(Mode mode) throws IOException {
    byte[] content = randomBytes(mode.objectBytes(), 7);
    S3ObjectInput input = input(mode, content, QUICK_RETRIES);

    try (InputStream in = input.open()) {
      in.readNBytes(2 * WINDOW);
      s3.put(
          BUCKET,
          input.name(),
          randomBytes(content.length, 8)); // same size: only If-Match can tell
      // the open stream may go on with the old version; the request that resumes it must not mix in
      // the new one
      s3.proxy.dropOpenConnections();

      S3IoException error = assertThrows(S3IoException.class, in::readAllBytes);
      assertEquals("input " + input.name() + " changed during the merge", error.getMessage());
      assertFalse(error.isTransient());
      assertEquals(FailureCode.INPUT_UNREADABLE, error.code());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFileWithoutETagReplacedOnDiskMidReadFailsAsChanged(Mode mode) throws IOException {
    String key = nextKey();
    Path file = s3.drop(BUCKET, key, randomBytes(mode.objectBytes(), 9));
    S3ObjectInput input = mode.input(listed(key), QUICK_RETRIES);

    try (InputStream in = input.open()) {
      in.readNBytes(2 * WINDOW);
      // replaced atomically, as a deploy would: an in-place rewrite could be read half-written (a
      // 416, not "changed")
      Path replacement =
          Files.write(
              file.getParent().getParent().resolve(key + ".next"),
              randomBytes(mode.objectBytes() + 20 * 1024, 10));
      Files.setLastModifiedTime(replacement, FileTime.from(Instant.now().plusSeconds(3600)));
      Files.move(
          replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      s3.proxy.dropOpenConnections();

      S3IoException error = assertThrows(S3IoException.class, in::readAllBytes);
      assertEquals("input " + key + " changed during the merge", error.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anObjectDeletedMidReadFailsAsUnreadable(Mode mode) throws Exception {
    S3ObjectInput input = input(mode, randomBytes(mode.objectBytes(), 12), QUICK_RETRIES);

    try (InputStream in = input.open()) {
      in.readNBytes(2 * WINDOW);
      s3.direct.deleteObject(b -> b.bucket(BUCKET).key(input.name())).get();
      s3.proxy.dropOpenConnections();

      S3IoException error = assertThrows(S3IoException.class, in::readAllBytes);
      assertEquals("input " + input.name() + " was deleted during the merge", error.getMessage());
      assertEquals(FailureCode.INPUT_UNREADABLE, error.code());
    }
  }

  @Test
  void closingAStreamCancelsItsPrefetch() throws Exception {
    RequestLimiter limiter = new RequestLimiter(32);
    S3ObjectInput input =
        new S3ObjectInput(
            s3.proxied, object(randomBytes(10 * WINDOW, 13)), WINDOW, limiter, QUICK_RETRIES);
    s3.proxy.pause();
    InputStream in = input.open();
    assertEquals(1, limiter.running());

    in.close();

    awaitTrue(() -> limiter.running() == 0, "the prefetch was cancelled and its permit released");
    assertThrows(IOException.class, in::read);
  }

  private static S3ObjectInput input(Mode mode, byte[] content, RetryPolicy retry) {
    return mode.input(object(content), retry);
  }

  /** Puts the content under a fresh key and lists it, as a job would. */
  private static LogObject object(byte[] content) {
    String key = nextKey();
    s3.put(BUCKET, key, content);
    return listed(key);
  }

  private static LogObject listed(String key) {
    LocalDate day = LogFileName.parse(key).orElseThrow().date();
    return new InputSelector(s3.direct)
        .select(BUCKET, new DateRange(day, day)).join().stream()
            .filter(o -> o.key().equals(key))
            .findFirst()
            .orElseThrow();
  }

  /** Keys on distinct days so each listing finds exactly one object. */
  private static String nextKey() {
    return LocalDate.parse("2001-01-01").plusDays(SERIALS.incrementAndGet()) + "_1";
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
