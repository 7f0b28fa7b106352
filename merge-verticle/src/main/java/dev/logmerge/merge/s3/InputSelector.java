package dev.logmerge.merge.s3;

import dev.logmerge.core.DateRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Finds the input files of a date range: lists each day's prefix {@code YYYY-MM-DD_} (several days
 * at once, each day page by page) and keeps the keys that are {@link LogFileName}s, in natural
 * order. Listing one prefix per day keeps a short range cheap however many other days the bucket
 * holds.
 */
public final class InputSelector {
  /** S3's largest page; fewer round trips per day. */
  public static final int DEFAULT_PAGE_SIZE = 1000;

  public static final int DEFAULT_CONCURRENT_DAYS = 16;

  private final S3AsyncClient client;
  private final int pageSize;
  private final int concurrentDays;
  private final S3Failures failures;

  /** A selector with the default page size and days listed at once. */
  public InputSelector(S3AsyncClient client) {
    this(client, DEFAULT_PAGE_SIZE, DEFAULT_CONCURRENT_DAYS);
  }

  /**
   * @param pageSize keys per ListObjectsV2 page (1 to 1000)
   * @param concurrentDays days listed at the same time
   */
  public InputSelector(S3AsyncClient client, int pageSize, int concurrentDays) {
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException("pageSize must be between 1 and 1000, was " + pageSize);
    }
    if (concurrentDays < 1) {
      throw new IllegalArgumentException(
          "concurrentDays must be at least 1, was " + concurrentDays);
    }
    this.client = client;
    this.pageSize = pageSize;
    this.concurrentDays = concurrentDays;
    this.failures = S3Failures.of(client);
  }

  /**
   * The inputs of {@code range} in {@code bucket}, in natural order; empty when there are none.
   * Fails with a {@link MissingBucketException} when the bucket does not exist, or another {@link
   * S3IoException}.
   */
  public CompletableFuture<List<LogObject>> select(String bucket, DateRange range) {
    RequestLimiter days = new RequestLimiter(concurrentDays);
    List<CompletableFuture<List<LogObject>>> listings =
        range.dates().stream().map(day -> days.submit(() -> listDay(bucket, day))).toList();
    CompletableFuture<List<LogObject>> selected = new CompletableFuture<>();
    for (CompletableFuture<List<LogObject>> listing : listings) {
      listing.whenComplete(
          (inputs, error) -> {
            // the first failure decides; the days still listing or waiting are not worth finishing
            if (error != null && selected.completeExceptionally(failures.listing(bucket, error))) {
              listings.forEach(other -> other.cancel(true));
            }
          });
    }
    CompletableFuture.allOf(listings.toArray(CompletableFuture[]::new))
        .thenRun(
            () ->
                selected.complete(
                    listings.stream()
                        .flatMap(listing -> listing.join().stream())
                        .sorted(Comparator.comparing(LogObject::name))
                        .toList()));
    return selected;
  }

  private CompletableFuture<List<LogObject>> listDay(String bucket, LocalDate day) {
    CompletableFuture<List<LogObject>> inputs = new CompletableFuture<>();
    listPages(bucket, day + "_", null, new ArrayList<>(), inputs);
    return inputs;
  }

  /**
   * Requests one page after the other until the last, unless {@code inputs} was completed
   * (cancelled) meanwhile.
   */
  private void listPages(
      String bucket,
      String prefix,
      String continuationToken,
      List<LogObject> found,
      CompletableFuture<List<LogObject>> inputs) {
    if (inputs.isDone()) {
      return;
    }
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(bucket)
            .prefix(prefix)
            .maxKeys(pageSize)
            .continuationToken(continuationToken)
            .build();
    CompletableFuture<ListObjectsV2Response> page = client.listObjectsV2(request);
    inputs.whenComplete((value, error) -> page.cancel(true));
    page.whenComplete(
        (response, error) -> {
          if (error != null) {
            inputs.completeExceptionally(error);
            return;
          }
          for (S3Object object : response.contents()) {
            LogFileName.parse(object.key())
                .ifPresent(
                    key ->
                        found.add(
                            new LogObject(
                                bucket, key, object.size(), object.eTag(), object.lastModified())));
          }
          if (Boolean.TRUE.equals(response.isTruncated())) {
            if (response.nextContinuationToken() == null) {
              // asking again without a token would return the first page forever
              inputs.completeExceptionally(failures.truncatedWithoutToken(bucket, prefix));
              return;
            }
            listPages(bucket, prefix, response.nextContinuationToken(), found, inputs);
          } else {
            inputs.complete(found);
          }
        });
  }
}
