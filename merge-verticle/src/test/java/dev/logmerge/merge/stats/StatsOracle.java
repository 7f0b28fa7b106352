package dev.logmerge.merge.stats;

import dev.logmerge.core.stats.StatsRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rows of a day computed the plain way, from every request kept in lists: what the aggregator's
 * tables must agree with.
 */
final class StatsOracle {
  /** One request line as the test generated it (its UTC date and minute). */
  record Request(LocalDate date, int minuteOfDay, String customer, int status, int durationMs) {}

  private StatsOracle() {}

  /** Every customer's row of {@code date}, from those of {@code requests} dated so. */
  static SortedMap<String, StatsRow> rows(LocalDate date, List<Request> requests) {
    Map<String, List<Request>> byCustomer = new HashMap<>();
    for (Request request : requests) {
      if (request.date().equals(date)) {
        byCustomer.computeIfAbsent(request.customer(), c -> new ArrayList<>()).add(request);
      }
    }
    SortedMap<String, StatsRow> rows = new TreeMap<>();
    byCustomer.forEach((customer, own) -> rows.put(customer, row(date, own)));
    return rows;
  }

  private static StatsRow row(LocalDate date, List<Request> requests) {
    List<Integer> durations = new ArrayList<>();
    long[] classes = new long[5];
    long sum = 0;
    Map<Integer, Boolean> minuteHadSuccess = new HashMap<>();
    for (Request request : requests) {
      durations.add(request.durationMs());
      sum += request.durationMs();
      classes[request.status() / 100 - 1]++;
      minuteHadSuccess.merge(
          request.minuteOfDay(),
          request.status() < 500 || request.status() > 599,
          Boolean::logicalOr);
    }
    Collections.sort(durations);
    int down = (int) minuteHadSuccess.values().stream().filter(ok -> !ok).count();
    return new StatsRow(
        date,
        requests.size(),
        requests.stream().filter(r -> r.status() >= 500 && r.status() <= 599).count(),
        new StatsRow.StatusClasses(classes[0], classes[1], classes[2], classes[3], classes[4]),
        sum,
        durations.get(nearestRank("0.5", durations.size()) - 1),
        durations.get(nearestRank("0.99", durations.size()) - 1),
        down);
  }

  /** ⌈p·n⌉, in decimal arithmetic. */
  private static int nearestRank(String p, int n) {
    return new BigDecimal(p)
        .multiply(BigDecimal.valueOf(n))
        .setScale(0, RoundingMode.CEILING)
        .intValueExact();
  }
}
