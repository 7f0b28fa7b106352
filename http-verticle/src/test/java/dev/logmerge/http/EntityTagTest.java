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
}
