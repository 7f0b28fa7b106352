package dev.logmerge.core.stats;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last indexing of one day's log files found ({@code GET /stats/days/{date}}).
 *
 * @param date the day whose files ({@code <date>_…}) were read
 * @param fingerprint digest of those files as listed (keys, sizes, versions): the periodic scan
 *     indexes the day again when it changes
 * @param inputs how many files the day has
 * @param inputBytes their stored size
 * @param requestLines request lines in them, whatever their date
 * @param unparsedLines lines in them that are not request lines (never an error)
 * @param customers customers with requests on {@code date} (in these files or in other days')
 * @param linesOfOtherDays request lines in these files dated another day, by that day
 */
public record DayRecord(
    LocalDate date,
    Instant indexedAt,
    String fingerprint,
    int inputs,
    long inputBytes,
    long requestLines,
    long unparsedLines,
    long customers,
    Map<LocalDate, Long> linesOfOtherDays) {
  public DayRecord {
    linesOfOtherDays = Map.copyOf(linesOfOtherDays);
  }

  public JsonObject toJson() {
    JsonObject others = new JsonObject();
    new TreeMap<>(linesOfOtherDays).forEach((day, lines) -> others.put(day.toString(), lines));
    return new JsonObject()
        .put("date", date.toString())
        .put("indexed_at", indexedAt.toString())
        .put("fingerprint", fingerprint)
        .put("inputs", inputs)
        .put("input_bytes", inputBytes)
        .put("request_lines", requestLines)
        .put("unparsed_lines", unparsedLines)
        .put("customers", customers)
        .put("lines_of_other_days", others);
  }

  /** Reads what {@link #toJson} wrote. */
  public static DayRecord fromJson(JsonObject json) {
    Map<LocalDate, Long> others = new TreeMap<>();
    json.getJsonObject("lines_of_other_days", new JsonObject())
        .forEach(e -> others.put(LocalDate.parse(e.getKey()), ((Number) e.getValue()).longValue()));
    return new DayRecord(
        LocalDate.parse(json.getString("date")),
        Instant.parse(json.getString("indexed_at")),
        json.getString("fingerprint"),
        json.getInteger("inputs"),
        json.getLong("input_bytes"),
        json.getLong("request_lines"),
        json.getLong("unparsed_lines"),
        json.getLong("customers"),
        others);
  }
}
