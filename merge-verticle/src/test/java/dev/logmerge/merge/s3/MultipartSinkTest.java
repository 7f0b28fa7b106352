package dev.logmerge.merge.s3;

import static dev.logmerge.merge.s3.S3Fixture.awaitTrue;
import static dev.logmerge.merge.s3.S3Fixture.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.merge.engine.ResultSink;
import dev.logmerge.merge.engine.ResultSinkFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

class MultipartSinkTest {
  private static final String BUCKET = "merged";
  private static final int PART = MultipartSinkSettings.S3_MIN_PART_BYTES;
  private static final MultipartSinkSettings SMALL_PARTS = new MultipartSinkSettings(PART, 2);
  private static final AtomicInteger KEYS = new AtomicInteger();

  @RegisterExtension static final S3Fixture s3 = new S3Fixture();

  @BeforeAll
  static void start() {
    s3.createBucket(BUCKET);
  }

  @AfterEach
  void healTheNetworkAndCheckNothingIsLeftBehind() {
    s3.proxy.heal();
    assertEquals(List.of(), s3.openUploads(BUCKET), "open multipart uploads");
    assertEquals(
        List.of(), s3.multipartLeftovers(BUCKET), "multipart files in S3Proxy's bucket directory");
  }

  @Test
  void aSmallResultIsStoredWithOnePutObject() throws IOException {
    String key = nextKey();
    byte[] content =
        "2019-08-17T00:00:01 a\n2019-08-17T00:00:02 b\n".getBytes(StandardCharsets.UTF_8);

    JobResult stored;
    try (ResultSink sink = sink(key)) {
      sink.write(content);
      stored = sink.commit();
    }

    assertArrayEquals(content, s3.get(BUCKET, key));
    assertEquals(new JobResult(BUCKET, key, content.length, s3.head(BUCKET, key).eTag()), stored);
    assertFalse(
        stored.etag().contains("-"),
        "a plain PutObject ETag, not a multipart one: " + stored.etag());
    assertTextPlainUtf8(key);
  }

  @Test
  void anEmptyResultIsAnEmptyObject() throws IOException {
    String key = nextKey();

    JobResult stored;
    try (ResultSink sink = sink(key)) {
      stored = sink.commit();
    }

    assertEquals(0, s3.get(BUCKET, key).length);
    assertEquals(0, stored.size());
    assertTextPlainUtf8(key);
  }

  @Test
  void aResultOfExactlyOnePartIsStillOnePutObject() throws IOException {
    String key = nextKey();
    byte[] content = randomBytes(PART, 1);

    JobResult stored;
    try (ResultSink sink = sink(key)) {
      sink.write(content);
      stored = sink.commit();
    }

    assertArrayEquals(content, s3.get(BUCKET, key));
    assertFalse(stored.etag().contains("-"), stored.etag());
  }

  @Test
  void aLargeResultIsUploadedInPartsAndBecomesVisibleOnlyAtCommit() throws IOException {
    String key = nextKey();
    byte[] content = randomBytes(12 * 1024 * 1024 + 17, 12);

    JobResult stored;
    try (ResultSink sink = sink(key)) {
      writeInOddChunks(sink, content);
      assertFalse(s3.exists(BUCKET, key), "no partial result under the key before the commit");
      assertEquals(1, openUploadsOf(key));
      stored = sink.commit();
    }

    assertArrayEquals(content, s3.get(BUCKET, key));
    assertEquals(content.length, stored.size());
    assertTrue(
        stored.etag().matches("\"[0-9a-f]+-3\""), "a 3-part multipart ETag: " + stored.etag());
    assertEquals(s3.head(BUCKET, key).eTag(), stored.etag());
    assertTextPlainUtf8(key);
  }

  @Test
  void writesBlockWhileTheLimitOfPartsIsUploading() throws Exception {
    String key = nextKey();
    byte[] content = randomBytes(6 * PART + 5, 6);
    ResultSink sink = sink(key);
    sink.write(
        content, 0, PART + 1); // starts the upload and its first part while the network works
    s3.proxy.pause();

    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                sink.write(content, PART + 1, content.length - PART - 1);
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            },
            "merge-thread");
    writer.start();
    awaitTrue(
        () -> writer.getState() == Thread.State.WAITING && s3.counting.inFlight("uploadPart") == 2,
        "two parts hang and the writer waits for a slot");
    s3.proxy.heal();
    assertEquals(null, outcome.get(30, TimeUnit.SECONDS));
    JobResult stored = sink.commit();

    assertArrayEquals(content, s3.get(BUCKET, key));
    assertEquals(2, s3.counting.peakInFlight("uploadPart"), "never more than two parts at once");
    assertTrue(stored.etag().endsWith("-7\""), stored.etag());
  }

  @Test
  void interruptingABlockedWriteAbortsTheUpload() throws Exception {
    String key = nextKey();
    ResultSink sink = sink(key);
    sink.write(randomBytes(PART + 1, 2));
    s3.proxy.pause();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread merge =
        new Thread(
            () -> {
              try {
                sink.write(randomBytes(4 * PART, 3));
                outcome.complete(null);
              } catch (Throwable t) {
                outcome.complete(t);
              }
            },
            "merge-thread");
    merge.start();
    awaitTrue(
        () -> merge.getState() == Thread.State.WAITING && s3.counting.inFlight("uploadPart") == 2,
        "the write blocks");

    merge.interrupt();

    assertInstanceOf(InterruptedIOException.class, outcome.get(10, TimeUnit.SECONDS));
    s3.proxy.heal();
    sink.close();
    assertFalse(s3.exists(BUCKET, key));
  }

  @Test
  void closingWithoutCommitAbortsAndLeavesNothing() throws IOException {
    String key = nextKey();
    ResultSink sink = sink(key);
    sink.write(randomBytes(12 * 1024 * 1024, 4));
    assertEquals(1, openUploadsOf(key));

    sink.close();

    assertFalse(s3.exists(BUCKET, key));
    assertThrows(IOException.class, () -> sink.write(1), "a closed sink takes no more bytes");
    sink.abort(); // again: harmless
  }

  @Test
  void aPartFailingMidUploadAbortsTheUploadAndItsStoredParts() throws Exception {
    String key = nextKey();
    byte[] content = randomBytes(12 * 1024 * 1024, 5);
    ResultSink sink = sink(key);
    sink.write(content, 0, PART + 1);
    awaitTrue(() -> s3.counting.inFlight("uploadPart") == 0, "part 1 is stored");

    // every later part dies on the wire, on every attempt; small requests still pass
    s3.proxy.cutRequestsAfter(64 * 1024);
    S3IoException error =
        assertThrows(
            S3IoException.class,
            () -> {
              sink.write(content, PART + 1, content.length - PART - 1);
              sink.commit();
            });
    sink.close();

    assertTrue(error.isTransient(), error.getMessage());
    assertEquals(FailureCode.S3_UNAVAILABLE, error.code());
    assertTrue(s3.counting.requests("uploadPart").size() >= 2, "the parts were sent, and failed");
    assertTrue(
        error.getMessage().startsWith("S3 at " + s3.proxiedEndpoint() + " dropped the connection"),
        error.getMessage());
    assertTrue(
        error
            .getMessage()
            .endsWith(
                " while storing the result " + BUCKET + "/" + key + " (gave up after 3 attempts)"),
        error.getMessage());
    assertFalse(s3.exists(BUCKET, key));
    assertThrows(S3IoException.class, sink::commit, "a failed sink cannot commit");
  }

  @Test
  @Timeout(60) // the regression this guards against is a write that waits forever
  void aPartStoredWithoutAnETagFailsTheUploadInsteadOfHangingIt() throws IOException {
    String key = nextKey();
    byte[] content = randomBytes(3 * PART, 14);
    s3.counting.alterAnswers(
        "uploadPart", answer -> ((UploadPartResponse) answer).toBuilder().eTag(null).build());
    S3IoException error;
    try (ResultSink sink = sink(key)) {
      error =
          assertThrows(
              S3IoException.class,
              () -> {
                sink.write(content);
                sink.commit();
              });
    } finally {
      s3.counting.alterAnswers("uploadPart", null);
    }

    assertEquals(FailureCode.INTERNAL_ERROR, error.code());
    String upload = "S3 at " + s3.proxiedEndpoint() + " broke the upload of the result ";
    assertTrue(
        error.getMessage().startsWith(upload + BUCKET + "/" + key + ": part "), error.getMessage());
    assertTrue(error.getMessage().endsWith(" came back without an ETag"), error.getMessage());
    assertFalse(s3.exists(BUCKET, key));
  }

  @Test
  void aFailedSmallCommitLeavesNothing() {
    String key = nextKey();
    ResultSink sink = sink(key);
    s3.proxy.cutRequestsAfter(0); // every request dies on the wire before S3 sees a byte of it

    S3IoException error =
        assertThrows(
            S3IoException.class,
            () -> {
              sink.write("one line\n".getBytes(StandardCharsets.UTF_8));
              sink.commit();
            });
    sink.close();

    String message = error.getMessage();
    assertTrue(
        message.startsWith("S3 at " + s3.proxiedEndpoint() + " dropped the connection ("), message);
    assertTrue(
        message.endsWith(
            " while storing the result " + BUCKET + "/" + key + " (gave up after 3 attempts)"),
        message);
    s3.proxy.heal();
    assertFalse(s3.exists(BUCKET, key));
  }

  @Test
  void aRestartedMergeOpensAFreshSinkForTheSameKey() throws IOException {
    String key = nextKey();
    ResultSinkFactory factory =
        MultipartSink.factory(s3.proxied, BUCKET, key, 0, SMALL_PARTS, () -> {});
    try (ResultSink first = factory.open()) {
      first.write(randomBytes(6 * 1024 * 1024, 8)); // abandoned: the engine met an unsorted input
    }
    byte[] content = "sorted\n".getBytes(StandardCharsets.UTF_8);
    try (ResultSink second = factory.open()) {
      second.write(content);
      second.commit();
    }

    assertArrayEquals(content, s3.get(BUCKET, key));
  }

  @Test
  void partsCutOnTheWireFewerTimesThanTheAttemptsAreSentAgainByTheClient() throws IOException {
    String key = nextKey();
    byte[] content = randomBytes(3 * PART + 11, 13);
    int sentBefore = s3.counting.requests("uploadPart").size();
    int cutBefore = s3.proxy.connectionsCut();
    AtomicInteger partsStored = new AtomicInteger();

    ResultSink sink = sink(key, partsStored::incrementAndGet);
    sink.write(content, 0, PART + 1);
    // the next two connections that carry a part die on the wire; the client tries again
    s3.proxy.cutRequestsAfter(64 * 1024, S3Fixture.ATTEMPTS - 1);
    sink.write(content, PART + 1, content.length - PART - 1);
    JobResult stored = sink.commit();

    assertArrayEquals(content, s3.get(BUCKET, key));
    assertEquals(content.length, stored.size());
    assertEquals(
        4, s3.counting.requests("uploadPart").size() - sentBefore, "4 parts, each sent once");
    assertEquals(4, partsStored.get(), "each stored part reported once, retries not counted");
    assertEquals(cutBefore + S3Fixture.ATTEMPTS - 1, s3.proxy.connectionsCut(), "both cuts hit");
  }

  private static ResultSink sink(String key) {
    return sink(key, () -> {});
  }

  private static ResultSink sink(String key, Runnable partStored) {
    try {
      return MultipartSink.factory(s3.counting.client(), BUCKET, key, 0, SMALL_PARTS, partStored)
          .open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long openUploadsOf(String key) {
    return s3.openUploads(BUCKET).stream().filter(upload -> upload.key().equals(key)).count();
  }

  private static String nextKey() {
    return "result-" + KEYS.incrementAndGet();
  }

  private static void writeInOddChunks(ResultSink sink, byte[] content) throws IOException {
    int offset = 0;
    while (offset < content.length) {
      int n = Math.min(100_003, content.length - offset);
      sink.write(content, offset, n);
      offset += n;
    }
    sink.write(new byte[0]);
  }

  private static void assertTextPlainUtf8(String key) {
    // S3Proxy stores the media type without the optional space after ';'
    assertEquals(
        "text/plain;charset=utf-8",
        s3.head(BUCKET, key).contentType().replace(" ", "").toLowerCase());
  }
}
