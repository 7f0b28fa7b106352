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
 * Finds the input files of a date range and keeps the keys that are {@link LogFileName}s of its
 * days, in natural order. It lists in one of two ways, whichever costs less for the range:
 *
 * <ul>
 *   <li><b>By day</b>, for a range of at most {@code concurrentDays} days: each day's prefix {@code
 *       YYYY-MM-DD_} page by page, all days at once. One round of requests, and only the days' own
 *       keys are read however many other keys the bucket holds between them.
 *   <li><b>By key range</b>, for a longer range: one listing from just below the first day's keys
 *       to the first key after the last day's, page by page. It costs one request per page of keys
 *       in between, where listing by day costs at least one request per day, in rounds of {@code
 *       concurrentDays}: a year of days is 366 requests, while a year of sample data fits in one
 *       page.
 * </ul>
 *
 * <p>The key range also reads the keys that are not inputs but sort among the days (e.g. {@code
 * 2019-08-19_1.log.bak}, or {@code 2019-08-19-old/…}), and its pages come one after the other while
 * days are listed {@code concurrentDays} at once. So it sends fewer requests while the range holds
 * fewer than a page of keys (1000) per day on average, and answers sooner while it holds fewer than
 * about a page per round of days (1000 / 16, some 60 keys a day), as log buckets of a few files per
 * day do. A bucket much denser than that would list long ranges faster by day; the rule does not
 * measure density, since that would cost the requests it saves.
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
   * @param concurrentDays days listed at the same time; longer ranges are listed as one key range
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
    return range.days() <= concurrentDays
        ? selectByDay(bucket, range)
        : selectByKeyRange(bucket, range);
  }

  /** Lists each day's prefix, {@code concurrentDays} at a time. */
  CompletableFuture<List<LogObject>> selectByDay(String bucket, DateRange range) {
    RequestLimiter days = new RequestLimiter(concurrentDays);
    List<CompletableFuture<List<LogObject>>> listings =
        range.dates().stream()
            .map(day -> days.submit(() -> list(bucket, KeySpan.of(day), range)))
            .toList();
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
                    inNaturalOrder(
                        listings.stream().flatMap(listing -> listing.join().stream()).toList())));
    return selected;
  }

  /** Lists the keys from the first day's to the last day's in one listing. */
  CompletableFuture<List<LogObject>> selectByKeyRange(String bucket, DateRange range) {
    CompletableFuture<List<LogObject>> selected = new CompletableFuture<>();
    list(bucket, KeySpan.of(range), range)
        .whenComplete(
            (inputs, error) -> {
              if (error != null) {
                selected.completeExceptionally(failures.listing(bucket, error));
              } else {
                selected.complete(inNaturalOrder(inputs));
              }
            });
    return selected;
  }

  private static List<LogObject> inNaturalOrder(List<LogObject> inputs) {
    return inputs.stream().sorted(Comparator.comparing(LogObject::name)).toList();
  }

  private CompletableFuture<List<LogObject>> list(String bucket, KeySpan span, DateRange range) {
    CompletableFuture<List<LogObject>> inputs = new CompletableFuture<>();
    listPages(bucket, span, range, null, new ArrayList<>(), inputs);
    return inputs;
  }

  /**
   * Requests one page after the other until the last, or the first key past the span, unless {@code
   * inputs} was completed (cancelled) meanwhile.
   */
  private void listPages(
      String bucket,
      KeySpan span,
      DateRange range,
      String continuationToken,
      List<LogObject> found,
      CompletableFuture<List<LogObject>> inputs) {
    if (inputs.isDone()) {
      return;
    }
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(bucket)
            .prefix(span.prefix())
            .startAfter(span.startAfter())
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
            if (span.isPast(object.key())) {
              inputs.complete(found);
              return;
            }
            LogFileName.parse(object.key())
                .filter(key -> range.contains(key.date()))
                .ifPresent(
                    key ->
                        found.add(
                            new LogObject(
                                bucket, key, object.size(), object.eTag(), object.lastModified())));
          }
          if (Boolean.TRUE.equals(response.isTruncated())) {
            if (response.nextContinuationToken() == null) {
              // asking again without a token would return the first page forever
              inputs.completeExceptionally(failures.truncatedWithoutToken(bucket, span.toString()));
              return;
            }
            listPages(bucket, span, range, response.nextContinuationToken(), found, inputs);
          } else {
            inputs.complete(found);
          }
        });
  }

  /**
   * The keys one listing reads: from the first day's to the last day's; a single day's are just its
   * prefix.
   */
  private record KeySpan(String firstPrefix, String lastPrefix) {
    static KeySpan of(LocalDate day) {
      return new KeySpan(prefixOf(day), prefixOf(day));
    }

    static KeySpan of(DateRange range) {
      return new KeySpan(prefixOf(range.start()), prefixOf(range.end()));
    }

    private static String prefixOf(LocalDate day) {
      return day + "_";
    }

    /**
     * The prefix the first and last day share (a day's own prefix; {@code 20} for
     * 2019-01-01..2020-01-01), so that S3 skips other keys at once; null when they share none.
     */
    String prefix() {
      int common = 0;
      while (common < firstPrefix.length()
          && firstPrefix.charAt(common) == lastPrefix.charAt(common)) {
        common++;
      }
      return common == 0 ? null : firstPrefix.substring(0, common);
    }

    /**
     * Where a listing of several days starts: just below the first day's keys, its prefix with the
     * {@code _} lowered to {@code ^}; null for one day, whose prefix says it all.
     */
    String startAfter() {
      return firstPrefix.equals(lastPrefix)
          ? null
          : firstPrefix.substring(0, firstPrefix.length() - 1) + (char) ('_' - 1);
    }

    /**
     * Whether the key sorts after every key of the last day, so the listing can stop. S3 lists in
     * UTF-8 byte order, which agrees with {@link String#compareTo} against an ASCII prefix.
     */
    boolean isPast(String key) {
      return key.compareTo(lastPrefix) > 0 && !key.startsWith(lastPrefix);
    }

    @Override
    public String toString() {
      return firstPrefix.equals(lastPrefix) ? firstPrefix : firstPrefix + ".." + lastPrefix;
    }
  }
}
