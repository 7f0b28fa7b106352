package dev.logmerge.merge.s3;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.merge.engine.ResultSink;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Stores a merge's output as one S3 object {@code bucket/key}; nothing is visible under the key
 * before {@link #commit()} succeeds.
 *
 * <p>Writes fill a part buffer. When more bytes arrive for a full buffer, it is uploaded as a part
 * of a multipart upload (started then) while the next buffer fills; at most {@code
 * maxPartsInFlight} parts upload at once, and a write that needs one more blocks, interruptibly,
 * until a part finishes. Buffers of finished parts are reused, so the sink holds at most {@code
 * maxPartsInFlight + 1} buffers. {@link #commit()} uploads the last part and completes the upload;
 * output that fits in one part is stored with a single PutObject instead (an empty output as an
 * empty object).
 *
 * <p>Parts are {@code max(minPartBytes, expectedSizeHint / 9,000)} bytes and double every 1,000
 * parts, so a result larger than expected still fits in S3's 10,000 parts.
 *
 * <p>Any failure aborts the multipart upload, as do {@link #abort()} and {@link #close()} before a
 * commit. Parts still uploading are allowed to finish first: S3 may store a part that arrives after
 * the abort, leaving it behind.
 *
 * <p>One thread writes; S3 callbacks only record how parts ended.
 */
public final class MultipartSink extends ResultSink {
  static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  /**
   * Java arrays hold parts; more than 1 GiB per buffer would not fit a merge worker's memory
   * anyway.
   */
  static final int MAX_PART_BYTES = 1 << 30;

  private static final int MAX_PARTS = 10_000;

  /**
   * The part size is chosen so the expected size takes this many parts, leaving the rest for a
   * wrong estimate.
   */
  private static final int PLANNED_PARTS = 9_000;

  private static final int PARTS_PER_SIZE_STEP = 1_000;

  /** How long an abort waits for parts still uploading before cancelling them. */
  private static final Duration PART_SETTLE_GRACE = Duration.ofSeconds(10);

  /** The longest {@link #abort()} blocks; past it, the abort goes on in the background. */
  private static final Duration ABORT_WAIT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(MultipartSink.class);

  private final S3AsyncClient client;
  private final String bucket;
  private final String key;
  private final RetryPolicy retry;
  private final String endpoint;
  private final int firstPartBytes;
  private final int maxPartsInFlight;
  private final Semaphore uploadSlots;
  private final Set<CompletableFuture<UploadPartResponse>> partsUploading =
      ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> partETags = new ConcurrentHashMap<>();
  private final Queue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
  private final AtomicReference<S3IoException> failure = new AtomicReference<>();
  private final AtomicInteger peakPartsUploading = new AtomicInteger();
  private final AtomicInteger buffersAllocated = new AtomicInteger();

  private byte[] buffer;
  private int filled;
  private int partNumber = 1;
  private long size;

  /** The upload id, once the output outgrew one part. */
  private volatile CompletableFuture<String> upload;

  private volatile CompletableFuture<Void> abortion;
  private volatile boolean committed;

  MultipartSink(
      S3AsyncClient client,
      String bucket,
      String key,
      long expectedSizeHint,
      MultipartSinkSettings settings) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.retry = settings.retry();
    this.endpoint = S3Failures.endpointOf(client);
    this.firstPartBytes = firstPartBytes(settings.minPartBytes(), expectedSizeHint);
    this.maxPartsInFlight = settings.maxPartsInFlight();
    this.uploadSlots = new Semaphore(maxPartsInFlight);
  }

  /**
   * The size of the first 1,000 parts: the expected size spread over 9,000 parts, but no less than
   * the minimum.
   */
  static int firstPartBytes(int minPartBytes, long expectedSizeHint) {
    long spread = Math.max(0, expectedSizeHint) / PLANNED_PARTS + 1;
    return (int) Math.min(MAX_PART_BYTES, Math.max(minPartBytes, spread));
  }

  /**
   * The size of part {@code partNumber} (from 1): doubled every 1,000 parts, up to {@link
   * #MAX_PART_BYTES}.
   */
  static int partBytes(int firstPartBytes, int partNumber) {
    int doublings = Math.min((partNumber - 1) / PARTS_PER_SIZE_STEP, 30);
    return (int) Math.min(MAX_PART_BYTES, (long) firstPartBytes << doublings);
  }

  @Override
  public void write(int b) throws IOException {
    makeRoom();
    buffer[filled++] = (byte) b;
    size++;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    while (length > 0) {
      makeRoom();
      int n = Math.min(length, buffer.length - filled);
      System.arraycopy(bytes, offset, buffer, filled, n);
      filled += n;
      size += n;
      offset += n;
      length -= n;
    }
  }

  /**
   * Stores everything written as the object and waits until S3 confirms it.
   *
   * @throws S3IoException after the multipart upload has been aborted
   * @throws InterruptedIOException when interrupted while waiting; the upload is being aborted
   */
  @Override
  public JobResult commit() throws IOException {
    ensureWritable();
    JobResult stored = upload == null ? putWholeOutput() : completeMultipartUpload();
    committed = true;
    buffer = null;
    freeBuffers.clear();
    return stored;
  }

  /**
   * Aborts the multipart upload (if any) and waits, up to a minute and without giving in to
   * interrupts, until S3 confirms; a failure to abort is logged. Does nothing after a successful
   * {@link #commit()}. Safe from any thread; to stop a write blocked in another thread, interrupt
   * that thread.
   */
  @Override
  public void abort() {
    if (committed) {
      return;
    }
    awaitCleanup(startAbort());
    freeBuffers.clear();
  }

  @Override
  protected boolean committed() {
    return committed;
  }

  /** Parts uploading now. */
  int partsUploading() {
    return partsUploading.size();
  }

  /** The most parts that were uploading at once. */
  int peakPartsUploading() {
    return peakPartsUploading.get();
  }

  /** Part buffers allocated so far (reused ones count once). */
  int buffersAllocated() {
    return buffersAllocated.get();
  }

  /** Makes room for at least one more byte: a fresh buffer, or the full one sent off as a part. */
  private void makeRoom() throws IOException {
    ensureWritable();
    if (buffer == null) {
      buffer = takeBuffer(partBytes(firstPartBytes, partNumber));
    } else if (filled == buffer.length) {
      if (partNumber == MAX_PARTS) {
        throw fail(
            new S3IoException(
                FailureCode.INTERNAL_ERROR,
                "the result " + target() + " needs more than " + MAX_PARTS + " parts",
                null));
      }
      uploadPart(buffer, filled);
      partNumber++;
      buffer = takeBuffer(partBytes(firstPartBytes, partNumber));
      filled = 0;
    }
  }

  private void uploadPart(byte[] part, int length) throws IOException {
    String uploadId = uploadId();
    acquireUploadSlot();
    int number = partNumber;
    CompletableFuture<UploadPartResponse> uploading;
    synchronized (this) {
      // under the lock that startAbort takes: a part starts before an abort sees it, or not at all
      if (abortion != null) {
        uploadSlots.release();
        ensureWritable(); // throws: failed or aborted meanwhile
      }
      UploadPartRequest request =
          UploadPartRequest.builder()
              .bucket(bucket)
              .key(key)
              .uploadId(uploadId)
              .partNumber(number)
              .contentLength((long) length)
              .build();
      uploading =
          AsyncRetry.run(
              retry,
              "UPLOAD PART " + number + " of " + target(),
              () ->
                  client.uploadPart(
                      request,
                      AsyncRequestBody.fromRemainingByteBufferUnsafe(
                          ByteBuffer.wrap(part, 0, length))));
      partsUploading.add(uploading);
    }
    peakPartsUploading.accumulateAndGet(partsUploading.size(), Math::max);
    uploading.whenComplete(
        (response, error) -> {
          partsUploading.remove(uploading);
          if (error == null) {
            partETags.put(number, response.eTag());
            recycle(part);
          } else if (!(error instanceof CancellationException)) {
            fail(S3Failures.writing(endpoint, bucket, key, error, retry));
          }
          uploadSlots.release();
        });
  }

  /**
   * Starts the multipart upload the first time the output outgrows one part, and waits for its id.
   */
  private String uploadId() throws IOException {
    if (upload == null) {
      CreateMultipartUploadRequest request =
          CreateMultipartUploadRequest.builder()
              .bucket(bucket)
              .key(key)
              .contentType(CONTENT_TYPE)
              .build();
      synchronized (this) {
        ensureWritable();
        upload =
            AsyncRetry.run(
                    retry,
                    "CREATE MULTIPART UPLOAD of " + target(),
                    () -> client.createMultipartUpload(request))
                .thenApply(CreateMultipartUploadResponse::uploadId);
      }
    }
    return await(upload);
  }

  private JobResult putWholeOutput() throws IOException {
    byte[] whole = buffer;
    int length = filled;
    PutObjectRequest request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(CONTENT_TYPE)
            .contentLength((long) length)
            .build();
    String etag =
        await(
                AsyncRetry.run(
                    retry,
                    "PUT " + target(),
                    () ->
                        client.putObject(
                            request,
                            whole == null
                                ? AsyncRequestBody.empty()
                                : AsyncRequestBody.fromRemainingByteBufferUnsafe(
                                    ByteBuffer.wrap(whole, 0, length)))))
            .eTag();
    return new JobResult(bucket, key, size, etag);
  }

  private JobResult completeMultipartUpload() throws IOException {
    uploadPart(
        buffer,
        filled); // never empty: a full buffer is only sent once more bytes arrived for the next
    awaitPartsUploaded();
    ensureWritable();
    List<CompletedPart> parts =
        partETags.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> CompletedPart.builder().partNumber(e.getKey()).eTag(e.getValue()).build())
            .toList();
    String uploadId = await(upload);
    CompleteMultipartUploadRequest request =
        CompleteMultipartUploadRequest.builder()
            .bucket(bucket)
            .key(key)
            .uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts))
            .build();
    long completing = System.nanoTime();
    String etag =
        await(
                AsyncRetry.run(
                    retry,
                    "COMPLETE MULTIPART UPLOAD of " + target(),
                    () -> client.completeMultipartUpload(request)))
            .eTag();
    LOG.info(
        "stored {} from {} parts; S3 took {} ms to complete the upload",
        target(),
        parts.size(),
        (System.nanoTime() - completing) / 1_000_000);
    return new JobResult(bucket, key, size, etag);
  }

  /** Takes every upload slot, i.e. waits until no part is uploading any more. */
  private void awaitPartsUploaded() throws IOException {
    try {
      uploadSlots.acquire(maxPartsInFlight);
      uploadSlots.release(maxPartsInFlight);
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private void acquireUploadSlot() throws IOException {
    try {
      uploadSlots.acquire();
    } catch (InterruptedException e) {
      throw interrupted();
    }
  }

  private <T> T await(CompletableFuture<T> request) throws IOException {
    try {
      return request.get();
    } catch (InterruptedException e) {
      throw interrupted();
    } catch (ExecutionException e) {
      throw fail(S3Failures.writing(endpoint, bucket, key, e.getCause(), retry));
    }
  }

  private InterruptedIOException interrupted() {
    startAbort();
    Thread.currentThread()
        .interrupt(); // the merge is being cancelled: let its other waits see it too
    return new InterruptedIOException("interrupted while storing the result " + target());
  }

  private void ensureWritable() throws IOException {
    S3IoException failed = failure.get();
    if (failed != null) {
      throw failed;
    }
    if (committed) {
      throw new IOException("the result " + target() + " is committed already");
    }
    if (abortion != null) {
      throw new IOException("the result " + target() + " was aborted");
    }
  }

  /** Records the first failure and aborts; returns the given one for the caller to throw. */
  private S3IoException fail(S3IoException error) {
    if (failure.compareAndSet(null, error)) {
      startAbort();
    }
    return error;
  }

  /**
   * Aborts the multipart upload once its parts in flight have settled (or the grace has passed),
   * without waiting. Idempotent: every caller gets the same abortion.
   */
  private synchronized CompletableFuture<Void> startAbort() {
    if (abortion != null) {
      return abortion;
    }
    CompletableFuture<String> started = upload;
    if (started == null) {
      abortion = CompletableFuture.completedFuture(null);
      return abortion;
    }
    List<CompletableFuture<UploadPartResponse>> uploading = List.copyOf(partsUploading);
    abortion =
        started
            .handle(
                (uploadId, error) ->
                    error != null
                        ? CompletableFuture.<Void>completedFuture(
                            null) // never started: nothing to abort
                        // async: the caller may be a cancelled merge thread, and an interrupted
                        // thread cannot send the abort
                        : settled(uploading).thenComposeAsync(ignored -> abortUpload(uploadId)))
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

  private CompletableFuture<Void> abortUpload(String uploadId) {
    return AsyncRetry.run(
            retry,
            "ABORT MULTIPART UPLOAD of " + target(),
            () -> client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)))
        .handle(
            (response, error) -> {
              if (error != null) {
                LOG.warn(
                    "could not abort multipart upload {} of {} ({}); a bucket lifecycle rule"
                        + " (AbortIncompleteMultipartUpload) has to remove its parts",
                    uploadId,
                    target(),
                    S3Failures.writing(endpoint, bucket, key, error, retry).getMessage());
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
          interrupted =
              true; // cleaning up S3 matters more than returning early; the interrupt is kept below
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

  private byte[] takeBuffer(int bytes) {
    byte[] reused;
    while ((reused = freeBuffers.poll()) != null) {
      if (reused.length == bytes) {
        return reused;
      }
    }
    buffersAllocated.incrementAndGet();
    return new byte[bytes];
  }

  /**
   * Keeps a finished part's buffer for a later part ({@link #takeBuffer} drops it if parts have
   * grown since).
   */
  private void recycle(byte[] part) {
    if (!committed && abortion == null && freeBuffers.size() < maxPartsInFlight) {
      freeBuffers.add(part);
    }
  }

  private String target() {
    return bucket + "/" + key;
  }
}
