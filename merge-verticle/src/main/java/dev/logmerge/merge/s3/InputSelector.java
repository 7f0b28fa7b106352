package dev.logmerge.merge.s3;

import dev.logmerge.core.DateRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
 *   <li><b>A page, then by day</b>, for a range of at most {@code concurrentDays} days: one page of
 *       the key range (below), which in a bucket of a few files a day holds every key of the range:
 *       one request. The days that page did not reach are then listed by day, each day's prefix
 *       {@code YYYY-MM-DD_} page by page, all at once (the day the page ended in from just after
 *       its last key). In a bucket of many keys a day this costs at most one request and one round
 *       trip more than listing every day at once; in one of a few keys a day, one request instead
 *       of one per day, which answers sooner where each request costs CPU (the embedded S3 on a
 *       small machine) and costs less where S3 bills per request.
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
 * day do. A bucket much denser than that would list long ranges faster by day; the rule for long
 * ranges does not measure density, since that would cost the requests it saves.
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
        ? selectByPageThenDay(bucket, range)
        : selectByKeyRange(bucket, range);
  }

  /** Lists the first page of the range's keys, then by day the days that page did not reach. */
  CompletableFuture<List<LogObject>> selectByPageThenDay(String bucket, DateRange range) {
    CompletableFuture<List<LogObject>> selected = new CompletableFuture<>();
    requestPage(bucket, KeySpan.of(range), range, null)
        .whenComplete(
            (first, error) -> {
              if (error != null) {
                selected.completeExceptionally(failures.listing(bucket, error));
              } else if (first.endsSpan()) {
                selected.complete(inNaturalOrder(first.inputs()));
              } else {
                selectByDay(bucket, range, first.lastKey())
                    .whenComplete(
                        (rest, restError) -> {
                          if (restError != null) {
                            selected.completeExceptionally(restError);
                          } else {
                            List<LogObject> all = new ArrayList<>(first.inputs());
                            all.addAll(rest);
                            selected.complete(inNaturalOrder(all));
                          }
                        });
              }
            });
    return selected;
  }

  /**
   * Lists by day, {@code concurrentDays} at a time, the keys of the range's days that sort after
   * {@code after} (a key listed already; null for all of them).
   */
  CompletableFuture<List<LogObject>> selectByDay(String bucket, DateRange range, String after) {
    RequestLimiter days = new RequestLimiter(concurrentDays);
    List<CompletableFuture<List<LogObject>>> listings =
        range.dates().stream()
            .flatMap(day -> KeySpan.of(day).after(after).stream())
            .map(span -> days.submit(() -> list(bucket, span, range)))
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
   * Requests one page after the other until the span ends, unless {@code inputs} was completed
   * (cancelled) meanwhile.
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
    CompletableFuture<Page> page = requestPage(bucket, span, range, continuationToken);
    inputs.whenComplete((value, error) -> page.cancel(true));
    page.whenComplete(
        (answer, error) -> {
          if (error != null) {
            inputs.completeExceptionally(error);
            return;
          }
          found.addAll(answer.inputs());
          if (answer.endsSpan()) {
            inputs.complete(found);
          } else {
            listPages(bucket, span, range, answer.nextToken(), found, inputs);
          }
        });
  }

  /** One page of the span's keys; cancelling it cancels the request. */
  private CompletableFuture<Page> requestPage(
      String bucket, KeySpan span, DateRange range, String continuationToken) {
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(bucket)
            .prefix(span.prefix())
            .startAfter(span.startAfter())
            .maxKeys(pageSize)
            .continuationToken(continuationToken)
            .build();
    CompletableFuture<ListObjectsV2Response> response = client.listObjectsV2(request);
    CompletableFuture<Page> page = new CompletableFuture<>();
    page.whenComplete((value, error) -> response.cancel(true));
    response.whenComplete(
        (answer, error) -> {
          if (error != null) {
            page.completeExceptionally(error);
          } else if (Boolean.TRUE.equals(answer.isTruncated())
              && answer.nextContinuationToken() == null
              && !endsIn(answer, span)) {
            // asking again without a token would return the first page forever
            page.completeExceptionally(failures.truncatedWithoutToken(bucket, span.toString()));
          } else {
            page.complete(pageOf(bucket, span, range, answer));
          }
        });
    return page;
  }

  private static Page pageOf(
      String bucket, KeySpan span, DateRange range, ListObjectsV2Response response) {
    List<LogObject> inputs = new ArrayList<>();
    String lastKey = null;
    for (S3Object object : response.contents()) {
      if (span.isPast(object.key())) {
        return new Page(inputs, lastKey, null);
      }
      lastKey = object.key();
      LogFileName.parse(object.key())
          .filter(key -> range.contains(key.date()))
          .ifPresent(
              key ->
                  inputs.add(
                      new LogObject(
                          bucket, key, object.size(), object.eTag(), object.lastModified())));
    }
    return new Page(
        inputs,
        lastKey,
        Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null);
  }

  private static boolean endsIn(ListObjectsV2Response response, KeySpan span) {
    return response.contents().stream().anyMatch(object -> span.isPast(object.key()));
  }

  /**
   * The inputs of one page, the last key of the span on it (null when none), and the token of the
   * next page (null when the span ends on this one).
   */
  private record Page(List<LogObject> inputs, String lastKey, String nextToken) {
    boolean endsSpan() {
      return nextToken == null;
    }
  }

  /**
   * The keys one listing reads: from the first day's to the last day's; a single day's are just its
   * prefix.
   */
  private record KeySpan(String firstPrefix, String lastPrefix, String resumeAfter) {
    static KeySpan of(LocalDate day) {
      return new KeySpan(prefixOf(day), prefixOf(day), null);
    }

    static KeySpan of(DateRange range) {
      return new KeySpan(prefixOf(range.start()), prefixOf(range.end()), null);
    }

    /**
     * What is left of a day's span once {@code key} (and every key before it) was listed: all of it
     * when null or the day sorts after the key, the keys after it when it is of this day, nothing
     * when the day sorts before it.
     */
    Optional<KeySpan> after(String key) {
      if (key == null || firstPrefix.compareTo(key) > 0) {
        return Optional.of(this);
      }
      return key.startsWith(firstPrefix)
          ? Optional.of(new KeySpan(firstPrefix, lastPrefix, key))
          : Optional.empty();
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
     * {@code _} lowered to {@code ^}; null for a whole day, whose prefix says it all; the key it
     * resumes after for the rest of a day.
     */
    String startAfter() {
      if (resumeAfter != null) {
        return resumeAfter;
      }
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
      String days = firstPrefix.equals(lastPrefix) ? firstPrefix : firstPrefix + ".." + lastPrefix;
      return resumeAfter == null ? days : days + " after " + resumeAfter;
    }
  }
}
