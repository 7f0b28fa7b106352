package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntityTagTest {
  private final EntityTag tag = EntityTag.of("\"abc\"");

  @Test
  void quotesAStoredEtagThatCameWithoutQuotes() {
    assertEquals("\"abc\"", EntityTag.of("abc").toString());
    assertEquals("\"abc\"", tag.toString());
  }

  @Test
  void matchesIfNoneMatchWeaklyInAListOrByWildcard() {
    assertTrue(tag.matchesAnyOf("\"abc\""));
    assertTrue(tag.matchesAnyOf("W/\"abc\""));
    assertTrue(tag.matchesAnyOf("\"x\", \"abc\""));
    assertTrue(tag.matchesAnyOf("*"));
    assertFalse(tag.matchesAnyOf("\"abcd\""));
    assertFalse(tag.matchesAnyOf(null));
  }

  @Test
  void honoursARangeOnlyUnderAnIfRangeNamingThisVersion() {
    assertTrue(tag.allowsRange(null));
    assertTrue(tag.allowsRange("\"abc\""));
    assertFalse(tag.allowsRange("\"old\""));
    assertFalse(tag.allowsRange("Wed, 21 Oct 2015 07:28:00 GMT"));
  }

  @Test
  void tagsTheGzipFormWeaklyWithASuffixInsideTheQuotes() {
    EntityTag gzip = tag.gzipVariant();

    assertEquals("W/\"abc-gzip\"", gzip.toString());
    assertEquals("W/\"abc-gzip\"", EntityTag.of("W/\"abc\"").gzipVariant().toString());
    assertEquals("W/\"d41d8cd9-3-gzip\"", EntityTag.of("d41d8cd9-3").gzipVariant().toString());
    assertTrue(gzip.matchesAnyOf("W/\"abc-gzip\""));
    assertTrue(gzip.matchesAnyOf("\"abc-gzip\""), "If-None-Match compares weakly");
    assertFalse(gzip.matchesAnyOf("\"abc\""));
    assertFalse(tag.matchesAnyOf(gzip.toString()));
    assertFalse(gzip.allowsRange("W/\"abc-gzip\""), "If-Range needs a strong tag");
  }
}
