package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The YAML document read as the JSON that /openapi.json serves. */
class ApiDocumentTest {
  @Test
  void readsResponseCodesAsStringKeysAndDatesAsTheTextWritten() {
    JsonObject json =
        ApiDocument.parseYaml(
            """
            responses:
              200:
                description: ok
            example:
              start_date: 2019-08-19
              created_at: 2019-08-24T10:15:30.123Z
              sizes: [1, 2.5, true, null]
            """);

    assertEquals(
        "ok", json.getJsonObject("responses").getJsonObject("200").getString("description"));
    JsonObject example = json.getJsonObject("example");
    assertEquals("2019-08-19", example.getString("start_date"));
    assertEquals("2019-08-24T10:15:30.123Z", example.getString("created_at"));
    assertEquals(
        new JsonArray().add(1).add(2.5).add(true).addNull(), example.getJsonArray("sizes"));
  }

  @Test
  void refusesARepeatedKey() {
    // YAML would let the second silently replace the first: a response lost from the contract
    RuntimeException refused =
        assertThrows(
            RuntimeException.class,
            () ->
                ApiDocument.parseYaml(
                    """
                    responses:
                      "200": {description: first}
                      "200": {description: second}
                    """));
    assertTrue(refused.getMessage().contains("duplicate key"), refused.getMessage());
  }

  @Test
  void refusesADocumentThatIsNotAMapping() {
    assertThrows(IllegalArgumentException.class, () -> ApiDocument.parseYaml("- a\n- b\n"));
  }
}
