package dev.logmerge.core.stats;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.logmerge.core.DateRange;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One customer's statistics over a range of days, as read from Redis.
 *
 * @param rows a row per day of the range on which the customer has requests, in date order
 * @param pendingDays days of the range never indexed yet (so absent from {@code rows} whatever
 *     their logs hold)
 * @param indexedThrough the newest day indexed with log files, if any
 */
public record CustomerDays(
    String customerId,
    DateRange range,
    List<StatsRow> rows,
    List<LocalDate> pendingDays,
    Optional<LocalDate> indexedThrough) {
  private static final JsonFactory JSON = new JsonFactory();

  public CustomerDays {
    rows = List.copyOf(rows);
    pendingDays = List.copyOf(pendingDays);
  }

  /**
   * The answer of {@code GET /customers/{id}/stats}, as JSON bytes (UTF-8), written in one pass
   * from the rows.
   */
  public Buffer toJsonBuffer() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 256 * rows.size());
    try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("customer_id", customerId);
      json.writeStringField("from", range.start().toString());
      json.writeStringField("to", range.end().toString());
      json.writeArrayFieldStart("days");
      for (StatsRow row : rows) {
        row.writeJson(json);
      }
      json.writeEndArray();
      json.writeFieldName("indexed_through");
      if (indexedThrough.isPresent()) {
        json.writeString(indexedThrough.get().toString());
      } else {
        json.writeNull();
      }
      json.writeArrayFieldStart("pending_days");
      for (LocalDate day : pendingDays) {
        json.writeString(day.toString());
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      // a generator over memory fails only on a bug of ours (a field outside an object)
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }
}
