package dev.logmerge.merge.stats;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The primitive tables against JDK maps, through many growths and colliding keys. */
class AggregateTablesTest {
  @Test
  void durationCountsAddUpLikeAMap() {
    Random random = new Random(1);
    DurationCounts counts = new DurationCounts();
    Map<Long, Long> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      int customer = random.nextBoolean() ? random.nextInt(10) : random.nextInt(Integer.MAX_VALUE);
      int ms = random.nextBoolean() ? random.nextInt(50) : random.nextInt(Integer.MAX_VALUE);
      long add = 1 + random.nextInt(3);
      counts.add(customer, ms, add);
      expected.merge((long) customer << 32 | ms, add, Long::sum);
    }
    assertEquals(expected.size(), counts.size());
    Map<Long, Long> seen = new HashMap<>();
    counts.forEach((customer, ms, count) -> seen.put((long) customer << 32 | ms, count));
    assertEquals(expected, seen);
    expected.forEach(
        (key, count) ->
            assertEquals(
                count,
                counts.count(DurationCounts.customerOf(key), DurationCounts.durationOf(key))));
    assertEquals(0, counts.count(Integer.MAX_VALUE, Integer.MAX_VALUE));
    assertTrue(counts.estimatedBytes() <= 16L * 2 * counts.size() * 4 / 3 + 16);
  }

  @Test
  void minuteOutcomesRememberWhetherAnyRequestSucceeded() {
    Random random = new Random(2);
    MinuteOutcomes minutes = new MinuteOutcomes();
    Map<Long, Boolean> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      int customer = random.nextBoolean() ? random.nextInt(5) : random.nextInt(Integer.MAX_VALUE);
      int minute = random.nextInt(1440);
      boolean succeeded = random.nextInt(4) == 0;
      minutes.record(customer, minute, succeeded);
      expected.merge((long) customer << 11 | minute, succeeded, Boolean::logicalOr);
    }
    assertEquals(expected.size(), minutes.size());
    Map<Long, Boolean> seen = new HashMap<>();
    minutes.forEach((customer, minute, ok) -> seen.put((long) customer << 11 | minute, ok));
    assertEquals(expected, seen);
  }

  @Test
  void durationsGroupByCustomerInAscendingOrderWithTheirCounts() {
    Random random = new Random(4);
    int customers = 3_000;
    DurationCounts counts = new DurationCounts();
    TreeMap<Long, Long> expected = new TreeMap<>();
    for (int i = 0; i < 100_000; i++) {
      // customer 0 busy, the last customer never seen, the rest a few requests each
      int customer = random.nextInt(4) == 0 ? 0 : random.nextInt(customers - 1);
      int ms = random.nextBoolean() ? random.nextInt(50) : random.nextInt(Integer.MAX_VALUE);
      counts.add(customer, ms, 1);
      expected.merge((long) customer << 32 | ms, 1L, Long::sum);
    }
    CustomerGroups groups = counts.byCustomer(customers);
    List<Long> seen = new ArrayList<>();
    for (int customer = 0; customer < customers; customer++) {
      for (int i = groups.from(customer); i < groups.to(customer); i++) {
        long key = (long) customer << 32 | DurationCounts.durationOfGrouped(groups.value(i));
        seen.add(key);
        assertEquals(expected.get(key), counts.countOfGrouped(groups.value(i)));
      }
    }
    assertEquals(new ArrayList<>(expected.keySet()), seen);
    assertEquals(groups.from(customers - 1), groups.to(customers - 1));
  }

  @Test
  void minutesGroupByCustomerInAscendingOrder() {
    Random random = new Random(5);
    int customers = 2_000;
    MinuteOutcomes minutes = new MinuteOutcomes();
    TreeMap<Long, Boolean> expected = new TreeMap<>();
    for (int i = 0; i < 100_000; i++) {
      int customer = random.nextInt(3) == 0 ? 7 : random.nextInt(customers);
      int minute = random.nextInt(1440);
      boolean succeeded = random.nextInt(4) == 0;
      minutes.record(customer, minute, succeeded);
      expected.merge((long) customer << 11 | minute, succeeded, Boolean::logicalOr);
    }
    CustomerGroups groups = minutes.byCustomer(customers);
    List<Long> keys = new ArrayList<>();
    for (int customer = 0; customer < customers; customer++) {
      for (int i = groups.from(customer); i < groups.to(customer); i++) {
        long entry = groups.value(i);
        assertEquals(customer, MinuteOutcomes.customerOf(entry));
        long key = (long) customer << 11 | MinuteOutcomes.minuteOf(entry);
        keys.add(key);
        assertEquals(expected.get(key), MinuteOutcomes.anySucceeded(entry));
      }
    }
    assertEquals(new ArrayList<>(expected.keySet()), keys);
  }

  @Test
  void customerIndexNumbersNamesInOrderOfAppearance() {
    Random random = new Random(3);
    CustomerIndex index = new CustomerIndex();
    Map<String, Integer> expected = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      String name =
          random.nextInt(3) == 0
              ? names.isEmpty() ? "x" : names.get(random.nextInt(names.size()))
              : "c" + random.nextInt(1 << 20) + "-" + "z".repeat(random.nextInt(40));
      byte[] line = (" pad " + name + " pad").getBytes(US_ASCII);
      int got = index.intern(line, 5, 5 + name.length());
      Integer known = expected.putIfAbsent(name, expected.size());
      if (known == null) {
        names.add(name);
      }
      assertEquals(expected.get(name), got, name);
    }
    assertEquals(expected.size(), index.size());
    for (int i = 0; i < names.size(); i++) {
      assertEquals(names.get(i), index.name(i));
      assertEquals(i, index.intern(names.get(i)));
    }
  }
}
