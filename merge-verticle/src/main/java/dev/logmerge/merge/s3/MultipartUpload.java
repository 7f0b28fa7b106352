package dev.logmerge.merge.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One S3 multipart upload, as a {@link MultipartSink} drives it from its writing thread: parts
 * upload in the background, at most {@code maxPartsInFlight} at once (a part beyond that waits,
 * interruptibly, for one to finish); {@link #complete} makes the object visible; any failure, or
 * {@link #abort}, aborts the upload once the parts in flight have settled, so S3 keeps none of
 * them. The SDK retries each request; a failure that reaches this class ends the upload.
 *
 * <p>Parts and the abort stay in one class, longer than most: a part must start before an abort
 * sees it or not at all, so both change the same state (parts in flight, the first failure, the
 * abortion) under one lock.
 */
final class MultipartUpload {
  private static final Logger LOG = LoggerFactory.getLogger(MultipartUpload.class);

  /** How long an abort waits for parts still uploading before cancelling them. */
  private static final Duration PART_SETTLE_GRACE = Duration.ofSeconds(10);

  /** The longest {@link #abort()} blocks; past it, the abort goes on in the background. */
  private static final Duration ABORT_WAIT = Duration.ofSeconds(60);

  private final S3AsyncClient client;
  private final S3Failures failures;
  private final String bucket;
  private final String key;
  private final int maxPartsInFlight;
  private final Semaphore uploadSlots;
  private final Consumer<byte[]> onPartStored;
  private final CompletableFuture<String> uploadId;
  private final Set<CompletableFuture<UploadPartResponse>> partsUploading =
      ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> partETags = new ConcurrentHashMap<>();
  private final AtomicInteger partsStarted = new AtomicInteger();
  private final AtomicReference<S3IoException> failure = new AtomicReference<>();
  private CompletableFuture<Void> abortion; // guarded by this

  /**
   * Starts a multipart upload of {@code bucket/key}, without waiting for S3.
   *
   * @param onPartStored receives a part's buffer once S3 has stored it, for reuse
   */
  MultipartUpload(
      S3AsyncClient client,
      S3Failures failures,
      String bucket,
      String key,
      int maxPartsInFlight,
      Consumer<byte[]> onPartStored) {
    this.client = client;
    this.failures = failures;
    this.bucket = bucket;
    this.key = key;
    this.maxPartsInFlight = maxPartsInFlight;
    this.uploadSlots = new Semaphore(maxPartsInFlight);
    this.onPartStored = onPartStored;
    this.uploadId =
        client
            .createMultipartUpload(
                b -> b.bucket(bucket).key(key).contentType(MultipartSink.CONTENT_TYPE))
            .thenApply(CreateMultipartUploadResponse::uploadId);
  }

  /**
   * Starts uploading {@code part[0, length)} as part {@code number}, after waiting for the upload
   * to have started and for a free slot. The buffer belongs to the upload until it is handed to
   * {@code onPartStored}.
   *
   * @throws S3IoException when the upload has failed
   * @throws InterruptedIOException when interrupted while waiting; the upload is being aborted
   */
  void uploadPart(int number, byte[] part, int length) throws IOException {
    String id = await(uploadId);
    try {
      uploadSlots.acquire();
    } catch (InterruptedException e) {
      throw interrupted();
    }
    CompletableFuture<UploadPartResponse> uploading;
    synchronized (this) {
      // under the lock that startAbort takes: a part starts before an abort sees it, or not at all
      if (abortion != null) {
        uploadSlots.release();
        throwIfEnded();
      }
      UploadPartRequest request =
          UploadPartRequest.builder()
              .bucket(bucket)
              .key(key)
              .uploadId(id)
              .partNumber(number)
              .contentLength((long) length)
              .build();
      uploading =
          client.uploadPart(
              request,
              AsyncRequestBody.fromRemainingByteBufferUnsafe(ByteBuffer.wrap(part, 0, length)));
      partsUploading.add(uploading);
    }
    partsStarted.incrementAndGet();
    uploading.whenComplete(
        (response, error) -> {
          try {
            partsUploading.remove(uploading);
            if (error == null && response.eTag() != null) {
              partETags.put(number, response.eTag());
              onPartStored.accept(part);
            } else if (error == null) {
              fail(
                  failures.uploadBroken(
                      bucket, key, "part " + number + " came back without an ETag"));
            } else if (!(error instanceof CancellationException)) {
              fail(failures.writing(bucket, key, error));
            }
          } finally {
            uploadSlots.release(); // whatever happened: a write waiting for a slot must wake
          }
        });
  }

  /**
   * Waits for the parts in flight, then completes the upload: the object becomes visible.
   *
   * @return the object's ETag
   */
  String complete() throws IOException {
    try {
      // every slot free: no part is uploading any more
      uploadSlots.acquire(maxPartsInFlight);
      uploadSlots.release(maxPartsInFlight);
    } catch (InterruptedException e) {
      throw interrupted();
    }
    throwIfEnded();
    if (partETags.size() != partsStarted.get()) {
      throw fail(
          failures.uploadBroken(
              bucket, key, "only " + partETags.size() + " of " + partsStarted.get() + " parts"));
    }
    List<CompletedPart> parts =
        partETags.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> CompletedPart.builder().partNumber(e.getKey()).eTag(e.getValue()).build())
            .toList();
    String id = await(uploadId);
    long completing = System.nanoTime();
    CompletableFuture<CompleteMultipartUploadResponse> completion =
        client.completeMultipartUpload(
            b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    String etag;
    try {
      etag = awaitOutcome(completion).eTag();
    } catch (ExecutionException e) {
      throw fail(failures.writing(bucket, key, e.getCause()));
    }
    LOG.info(
        "stored {} from {} parts; S3 took {} ms to complete the upload",
        target(),
        parts.size(),
        (System.nanoTime() - completing) / 1_000_000);
    return etag;
  }

  /**
   * Aborts the upload and waits, up to a minute and without giving in to interrupts, until S3
   * confirms; a failure to abort is logged. Safe from any thread, and more than once.
   */
  void abort() {
    awaitCleanup(startAbort());
  }

  /** Throws the failure that ended the upload, or says it was aborted, if it has ended. */
  synchronized void throwIfEnded() throws IOException {
    S3IoException failed = failure.get();
    if (failed != null) {
      throw failed;
    }
    if (abortion != null) {
      throw new IOException("the result " + target() + " was aborted");
    }
  }

  private <T> T await(CompletableFuture<T> request) throws IOException {
    try {
      return request.get();
    } catch (InterruptedException e) {
      throw interrupted();
    } catch (ExecutionException e) {
      throw fail(failures.writing(bucket, key, e.getCause()));
    }
  }

  /**
   * Waits for a request whose effect cannot be taken back once sent (an object stored), however
   * often the thread is interrupted meanwhile, so that the caller knows whether the object exists;
   * the interrupt is kept for the caller's next wait. Bounded by the client's timeouts.
   */
  static <T> T awaitOutcome(CompletableFuture<T> request) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return request.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private InterruptedIOException interrupted() {
    startAbort();
    Thread.currentThread().interrupt(); // the merge is being cancelled: its other waits see it too
    return new InterruptedIOException("interrupted while storing the result " + target());
  }

  /** Records the first failure and aborts; returns the given one for the caller to throw. */
  private S3IoException fail(S3IoException error) {
    if (failure.compareAndSet(null, error)) {
      startAbort();
    }
    return error;
  }

  /**
   * Aborts the upload once its parts in flight have settled (or the grace has passed), without
   * waiting. Idempotent: every caller gets the same abortion.
   */
  private synchronized CompletableFuture<Void> startAbort() {
    if (abortion != null) {
      return abortion;
    }
    List<CompletableFuture<UploadPartResponse>> uploading = List.copyOf(partsUploading);
    abortion =
        uploadId
            .handle(
                (id, error) ->
                    error != null
                        ? CompletableFuture.<Void>completedFuture(null) // never started
                        // async: the caller may be an interrupted merge thread, which cannot send
                        : settled(uploading).thenComposeAsync(ignored -> abortUpload(id)))
            .thenCompose(step -> step);
    return abortion;
  }

  private static CompletableFuture<Void> settled(
      List<CompletableFuture<UploadPartResponse>> uploading) {
    CompletableFuture<?>[] outcomes =
        uploading.stream()
            .map(part -> part.handle((response, error) -> null))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(outcomes)
        .completeOnTimeout(null, PART_SETTLE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(() -> uploading.forEach(part -> part.cancel(true)));
  }

  private CompletableFuture<Void> abortUpload(String id) {
    return client
        .abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id))
        .handle(
            (response, error) -> {
              if (error != null) {
                LOG.warn(
                    "could not abort multipart upload {} of {} ({}); a bucket lifecycle rule"
                        + " (AbortIncompleteMultipartUpload) has to remove its parts",
                    id,
                    target(),
                    failures.writing(bucket, key, error).getMessage());
              }
              return null;
            });
  }

  private void awaitCleanup(CompletableFuture<Void> cleanup) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + ABORT_WAIT.toNanos();
    try {
      while (true) {
        try {
          cleanup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return;
        } catch (InterruptedException e) {
          interrupted = true; // cleaning up S3 matters more than returning early; kept below
        } catch (TimeoutException e) {
          LOG.warn(
              "aborting the multipart upload of {} takes longer than {}; it goes on in the"
                  + " background",
              target(),
              ABORT_WAIT);
          return;
        } catch (ExecutionException e) {
          return; // abortUpload logs its own failure
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String target() {
    return bucket + "/" + key;
  }
}
