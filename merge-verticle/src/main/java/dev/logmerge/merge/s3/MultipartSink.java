package dev.logmerge.merge.s3;

import dev.logmerge.core.job.FailureCode;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.merge.engine.ResultSink;
import dev.logmerge.merge.engine.ResultSinkFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Stores a merge's output as one S3 object {@code bucket/key}; nothing is visible under the key
 * before {@link #commit()} succeeds.
 *
 * <p>Writes fill a part buffer ({@link PartSizing} says how large). When more bytes arrive for a
 * full buffer, it goes to a {@link MultipartUpload} (started then) while the next buffer fills.
 * {@link #commit()} sends the last part and completes the upload; output that fits in one part is
 * stored with a single PutObject instead (an empty output as an empty object). Any failure, and
 * {@link #abort()} or {@link #close()} before a commit, aborts the upload.
 *
 * <p>One thread writes; a write blocks while the upload has as many parts in flight as allowed.
 */
public final class MultipartSink extends ResultSink {
  static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private final S3AsyncClient client;
  private final S3Failures failures;
  private final String bucket;
  private final String key;
  private final PartSizing sizing;
  private final int maxPartsInFlight;
  private final PartBuffers buffers;
  private final Runnable partStored;

  private byte[] buffer;
  private int filled;
  private int partNumber = 1;
  private long size;

  /** The upload, once the output outgrew one part. */
  private volatile MultipartUpload upload;

  private volatile boolean committed;
  private volatile boolean aborted;
  private S3IoException failure;

  private MultipartSink(
      S3AsyncClient client,
      String bucket,
      String key,
      long expectedSizeHint,
      MultipartSinkSettings settings,
      Runnable partStored) {
    this.client = client;
    this.failures = S3Failures.of(client);
    this.bucket = bucket;
    this.key = key;
    this.sizing = PartSizing.forExpectedSize(settings.minPartBytes(), expectedSizeHint);
    this.maxPartsInFlight = settings.maxPartsInFlight();
    this.buffers = new PartBuffers(maxPartsInFlight);
    this.partStored = partStored;
  }

  /**
   * Opens a fresh sink for {@code bucket/key} on each call, i.e. once per merge attempt.
   *
   * @param expectedSizeHint the result's likely size in bytes (e.g. the inputs' total), to choose
   *     the part size; 0 when unknown. A wrong hint costs efficiency, never correctness.
   * @param partStored told, on an SDK thread, each time S3 has stored a part of a multipart upload
   */
  public static ResultSinkFactory factory(
      S3AsyncClient client,
      String bucket,
      String key,
      long expectedSizeHint,
      MultipartSinkSettings settings,
      Runnable partStored) {
    return () -> new MultipartSink(client, bucket, key, expectedSizeHint, settings, partStored);
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
   * @throws InterruptedIOException when interrupted while parts are still uploading; the upload is
   *     being aborted. Once the request that stores the object is sent, an interrupt only takes
   *     effect after S3 answered: the caller then knows whether the object exists
   */
  @Override
  public JobResult commit() throws IOException {
    ensureWritable();
    String etag;
    if (upload == null) {
      etag = putWholeOutput();
    } else {
      // never empty: a full buffer is only sent once more bytes arrived for the next
      upload.uploadPart(partNumber, buffer, filled);
      etag = upload.complete();
    }
    committed = true;
    buffer = null;
    buffers.close();
    return new JobResult(bucket, key, size, etag);
  }

  /**
   * Aborts the multipart upload (if any) and waits, up to a minute and without giving in to
   * interrupts, until S3 confirms. Does nothing after a successful {@link #commit()}. Safe from any
   * thread; to stop a write blocked in another thread, interrupt that thread.
   */
  @Override
  public void abort() {
    if (committed) {
      return;
    }
    aborted = true;
    MultipartUpload started = upload;
    if (started != null) {
      started.abort();
    }
    buffers.close();
  }

  @Override
  protected boolean committed() {
    return committed;
  }

  /** Makes room for at least one more byte: a fresh buffer, or the full one sent off as a part. */
  private void makeRoom() throws IOException {
    ensureWritable();
    if (buffer == null) {
      buffer = buffers.take(sizing.bytesOfPart(partNumber));
    } else if (filled == buffer.length) {
      if (partNumber == PartSizing.MAX_PARTS) {
        throw new S3IoException(
            FailureCode.INTERNAL_ERROR,
            "the result " + target() + " needs more than " + PartSizing.MAX_PARTS + " parts",
            null);
      }
      if (upload == null) {
        upload =
            new MultipartUpload(
                client,
                failures,
                bucket,
                key,
                maxPartsInFlight,
                part -> {
                  buffers.recycle(part);
                  partStored.run();
                });
      }
      upload.uploadPart(partNumber, buffer, filled);
      partNumber++;
      buffer = buffers.take(sizing.bytesOfPart(partNumber));
      filled = 0;
    }
  }

  private String putWholeOutput() throws IOException {
    AsyncRequestBody body =
        buffer == null
            ? AsyncRequestBody.empty()
            : AsyncRequestBody.fromRemainingByteBufferUnsafe(ByteBuffer.wrap(buffer, 0, filled));
    CompletableFuture<PutObjectResponse> put =
        client.putObject(
            b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength((long) filled),
            body);
    try {
      // once sent, its outcome decides whether the object exists: the caller must know it
      return MultipartUpload.awaitOutcome(put).eTag();
    } catch (ExecutionException e) {
      failure = failures.writing(bucket, key, e.getCause());
      throw failure;
    }
  }

  private void ensureWritable() throws IOException {
    if (failure != null) {
      throw failure;
    }
    MultipartUpload started = upload;
    if (started != null) {
      started.throwIfEnded();
    }
    if (committed) {
      throw new IOException("the result " + target() + " is committed already");
    }
    if (aborted) {
      throw new IOException("the result " + target() + " was aborted");
    }
  }

  private String target() {
    return bucket + "/" + key;
  }
}
