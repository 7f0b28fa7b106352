package dev.logmerge.merge.s3;

import static dev.logmerge.merge.s3.S3Fixture.awaitTrue;
import static dev.logmerge.merge.s3.S3Fixture.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Reading an input through one back-pressured streaming GET with a small buffer, against S3Proxy
 * behind a fault-injecting proxy.
 */
class S3MergeInputTest {
  private static final String BUCKET = "logs";
  private static final int BUFFER = 1024;

  /** Big enough that a stream cannot be all in flight (socket buffers hold a few hundred KiB). */
  private static final int STREAM_OBJECT_BYTES = 8 * 1024 * 1024;

  private static final AtomicInteger SERIALS = new AtomicInteger();

  @RegisterExtension static final S3Fixture s3 = new S3Fixture();
  private static CountingS3Client counting;

  @BeforeAll
  static void start() {
    s3.createBucket(BUCKET);
    counting = CountingS3Client.around(s3.proxied);
  }

  @AfterEach
  void healTheNetwork() {
    s3.proxy.heal();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 1023, 1024, 1025, 4097, 100 * 1024, 100 * 1024 + 7})
  void readsAnObjectByteExact(int size) throws IOException {
    byte[] content = randomBytes(size, size);

    try (InputStream in = open(s3.proxied, object(content))) {
      assertArrayEquals(content, in.readAllBytes());
      assertEquals(-1, in.read());
    }
  }

  @Test
  void readsByteByByteAcrossBufferAndChunkBoundaries() throws IOException {
    byte[] content = randomBytes(3 * BUFFER + 5, 3);
    try (InputStream in = open(s3.proxied, object(content))) {
      for (byte expected : content) {
        assertEquals(expected & 0xff, in.read());
      }
      assertEquals(-1, in.read());
    }
  }

  @Test
  void readsAnEmptyObjectWithoutAGet() throws IOException {
    LogObject empty = object(new byte[0]);
    int getsBefore = counting.requests("getObject").size();

    try (InputStream in = open(counting.client(), empty)) {
      assertEquals(-1, in.read());
      assertEquals(0, in.readAllBytes().length);
    }
    // S3 would answer 416 to any range of an empty object
    assertEquals(getsBefore, counting.requests("getObject").size());
  }

  @Test
  void eachOpenStartsAgainFromTheFirstByte() throws IOException {
    byte[] content = randomBytes(10 * BUFFER + 3, 10);
    S3MergeInput input =
        S3MergeInput.forJob(
                s3.proxied, List.of(object(content)), new InputReadSettings(1L << 20, 1))
            .get(0);

    try (InputStream first = input.open()) {
      assertArrayEquals(Arrays.copyOf(content, 4000), first.readNBytes(4000));
    }
    try (InputStream again = input.open()) {
      assertArrayEquals(content, again.readAllBytes());
    }
  }

  @Test
  void theInputsOfAJobStreamWithOneGetEachAndSplitTheBudget() throws IOException {
    List<LogObject> objects = List.of(object(randomBytes(5000, 1)), object(randomBytes(5000, 2)));
    int getsBefore = counting.requests("getObject").size();

    // as many inputs as the cap: still streamed
    List<S3MergeInput> inputs =
        S3MergeInput.forJob(counting.client(), objects, new InputReadSettings(1L << 20, 2));

    for (int i = 0; i < inputs.size(); i++) {
      assertEquals(512 * 1024, inputs.get(i).readAheadBytes(), "2 inputs share 1 MiB");
      try (InputStream in = inputs.get(i).open()) {
        assertArrayEquals(randomBytes(5000, i + 1), in.readAllBytes());
      }
    }
    assertEquals(List.of("bytes=0-", "bytes=0-"), rangesSince(getsBefore));
  }

  @Test
  void aJobOfMoreInputsThanTheStreamedCapIsRefusedBeforeAnyGet() {
    List<LogObject> objects =
        Stream.of(1, 2, 3).map(seed -> object(randomBytes(5000, seed))).toList();
    int getsBefore = counting.requests("getObject").size();

    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                S3MergeInput.forJob(
                    counting.client(), objects, new InputReadSettings(1L << 20, 2)));

    assertEquals(
        "cannot stream 3 inputs at once, at most 2: merge more in groups (MultiPassMerge)",
        error.getMessage());
    assertEquals(getsBefore, counting.requests("getObject").size());
  }

  @Test
  void aStreamStopsTheTransferWhileItsReaderIsBehind() throws Exception {
    byte[] content = randomBytes(64 * 1024 * 1024, 21);
    LogObject object = object(content);
    long relayedBefore = s3.proxy.responseBytesRelayed();

    try (InputStream in = open(s3.proxied, object)) {
      assertEquals(content[0] & 0xff, in.read());
      long[] stalledAt = {-1};
      awaitTrue(
          () -> {
            long relayed = s3.proxy.responseBytesRelayed();
            sleep(200);
            boolean stalled = relayed == s3.proxy.responseBytesRelayed();
            stalledAt[0] = relayed - relayedBefore;
            return stalled;
          },
          "the transfer stalls");

      // socket buffers hold a few MiB at most; without back-pressure the whole body would arrive
      assertTrue(stalledAt[0] < 16 * 1024 * 1024, "sent " + stalledAt[0] + " bytes");
      assertArrayEquals(Arrays.copyOfRange(content, 1, content.length), in.readAllBytes());
    }
  }

  @Test
  void aReadBlockedOnTheNetworkEndsWithInterruptedIOExceptionWhenInterrupted() throws Exception {
    LogObject object = object(randomBytes(10 * BUFFER, 11));
    s3.proxy.pause();
    InputStream in = open(counting.client(), object);
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
    awaitTrue(() -> counting.inFlight("getObject") == 0, "the GET in flight was cancelled");
    assertInstanceOf(
        InterruptedIOException.class,
        assertThrows(IOException.class, in::read),
        "the stream stays failed");
  }

  @Test
  void aStreamCutMidBodyMoreOftenThanTheClientRetriesIsResumedFromTheFirstByteNotReceived()
      throws IOException {
    byte[] content = randomBytes(STREAM_OBJECT_BYTES, 100);
    try (InputStream in = open(s3.proxied, object(content))) {
      byte[] head = in.readNBytes(30 * 1024);

      // every connection dies after its headers and a few hundred bytes of body
      int cutBefore = s3.proxy.connectionsCut();
      s3.proxy.cutResponsesAfter(600, 10);
      byte[] rest = in.readAllBytes();

      assertArrayEquals(content, concat(head, rest));
      assertEquals(cutBefore + 10, s3.proxy.connectionsCut(), "every fault hit a response");
    }
  }

  @Test
  void s3DroppingEveryConnectionFailsAsTransientAfterTheClientsAttempts() throws IOException {
    LogObject object = object(randomBytes(4 * BUFFER, 4));
    // not a refused connection: the SDK (2.57) sometimes loses that failure until its acquire
    // timeout, and the test would be as slow as the bug
    s3.proxy.cutResponsesAfter(0);

    S3IoException error;
    try (S3AsyncClient twoAttempts = s3.proxiedClient(2);
        InputStream in = open(twoAttempts, object)) {
      error = assertThrows(S3IoException.class, in::readAllBytes);
    }

    assertTrue(error.isTransient());
    assertEquals(FailureCode.S3_UNAVAILABLE, error.code());
    String message = error.getMessage();
    assertTrue(
        message.startsWith("S3 at " + s3.proxiedEndpoint() + " dropped the connection ("), message);
    assertTrue(
        message.endsWith(" while reading input " + object.key() + " (gave up after 2 attempts)"),
        message);
  }

  @Test
  void anObjectReplacedMidReadFailsAsChanged() throws IOException {
    byte[] content = randomBytes(STREAM_OBJECT_BYTES, 7);
    LogObject object = object(content);

    try (InputStream in = open(s3.proxied, object)) {
      in.readNBytes(2 * BUFFER);
      // same size: only If-Match can tell
      s3.put(BUCKET, object.key(), randomBytes(content.length, 8));
      // the open stream may go on with the old version; the request that resumes it must not mix in
      // the new one
      s3.proxy.dropOpenConnections();

      S3IoException error = assertThrows(S3IoException.class, in::readAllBytes);
      assertEquals("input " + object.key() + " changed during the merge", error.getMessage());
      assertFalse(error.isTransient());
      assertEquals(FailureCode.INPUT_UNREADABLE, error.code());
    }
  }

  @Test
  void aFileWithoutETagReplacedOnDiskMidReadFailsAsChanged() throws IOException {
    String key = nextKey();
    Path file = s3.drop(BUCKET, key, randomBytes(STREAM_OBJECT_BYTES, 9));

    try (InputStream in = open(s3.proxied, listed(key))) {
      in.readNBytes(2 * BUFFER);
      // replaced atomically, as a deploy would: an in-place rewrite could be read half-written (a
      // 416, not "changed")
      Path replacement =
          Files.write(
              file.getParent().getParent().resolve(key + ".next"),
              randomBytes(STREAM_OBJECT_BYTES + 20 * 1024, 10));
      Files.setLastModifiedTime(replacement, FileTime.from(Instant.now().plusSeconds(3600)));
      Files.move(
          replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      s3.proxy.dropOpenConnections();

      S3IoException error = assertThrows(S3IoException.class, in::readAllBytes);
      assertEquals("input " + key + " changed during the merge", error.getMessage());
    }
  }

  @Test
  void anObjectDeletedMidReadFailsAsUnreadable() throws Exception {
    LogObject object = object(randomBytes(STREAM_OBJECT_BYTES, 12));

    try (InputStream in = open(s3.proxied, object)) {
      in.readNBytes(2 * BUFFER);
      s3.direct.deleteObject(b -> b.bucket(BUCKET).key(object.key())).get();
      s3.proxy.dropOpenConnections();

      S3IoException error = assertThrows(S3IoException.class, in::readAllBytes);
      assertEquals("input " + object.key() + " was deleted during the merge", error.getMessage());
      assertEquals(FailureCode.INPUT_UNREADABLE, error.code());
    }
  }

  @Test
  void closingAStreamCancelsItsGet() throws Exception {
    LogObject object = object(randomBytes(10 * BUFFER, 13));
    s3.proxy.pause();
    InputStream in = open(counting.client(), object);
    awaitTrue(() -> counting.inFlight("getObject") == 1, "the GET is on its way");

    in.close();

    awaitTrue(() -> counting.inFlight("getObject") == 0, "the GET was cancelled");
    assertThrows(IOException.class, in::read);
  }

  /** A fresh stream of the object through a 1 KiB buffer. */
  private static InputStream open(S3AsyncClient client, LogObject object) {
    return new ChunkInputStream(
        object.key(), new StreamedGet(client, object, BUFFER, S3Failures.of(client)));
  }

  private List<String> rangesSince(int getsBefore) {
    List<Object> gets = counting.requests("getObject");
    return gets.subList(getsBefore, gets.size()).stream()
        .map(request -> ((GetObjectRequest) request).range())
        .toList();
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
