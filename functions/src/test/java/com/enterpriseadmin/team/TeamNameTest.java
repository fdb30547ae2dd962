package com.enterpriseadmin.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import org.junit.jupiter.api.Test;

class TeamNameTest {

    @Test
    void trimsAndCollapsesInnerWhitespace() {
        TeamName name = TeamName.parse("  Design \t  Team\n ", "name");
        assertEquals("Design Team", name.display());
        assertEquals("design team", name.key());
    }

    @Test
    void namesThatDifferOnlyInCaseAndSpacesShareTheKey() {
        String key = TeamName.parse("Design Team", "name").key();
        assertEquals(key, TeamName.parse(" design   team ", "name").key());
        assertEquals(key, TeamName.parse("DESIGN TEAM", "name").key());
        assertEquals(key, TeamName.parse("Design\u00A0Team", "name").key());
        assertNotEquals(key, TeamName.parse("Design Teams", "name").key());
    }

    @Test
    void compatibilityFormsFoldToTheSameKey() {
        assertEquals(TeamName.parse("ＡＢＣ", "name").key(), TeamName.parse("abc", "name").key());
        assertEquals(TeamName.parse("Café", "name").key(), TeamName.parse("Cafe\u0301", "name").key());
    }

    @Test
    void rejectsBlankTooLongAndControlCharacters() {
        assertEquals("name", assertThrows(InvalidInput.class, () -> TeamName.parse(null, "name")).field());
        assertEquals("name", assertThrows(InvalidInput.class, () -> TeamName.parse(" \t ", "name")).field());
        assertEquals("name", assertThrows(InvalidInput.class, () -> TeamName.parse("x".repeat(101), "name")).field());
        assertEquals("name", assertThrows(InvalidInput.class, () -> TeamName.parse("a\u0000b", "name")).field());
        assertEquals("name", assertThrows(InvalidInput.class, () -> TeamName.parse("a\u202Eb", "name")).field());
        assertEquals(100, TeamName.parse("x".repeat(100), "name").display().length());
    }

    @Test
    void namesWhoseFoldedKeyWouldOutgrowADynamoDbKeyAreRefused() {
        // U+FDFA is one character that NFKC turns into 18: 100 of them make a 3,300-byte key.
        com.enterpriseadmin.error.DomainException.InvalidInput e = org.junit.jupiter.api.Assertions.assertThrows(
                com.enterpriseadmin.error.DomainException.InvalidInput.class, () -> TeamName.parse("\uFDFA".repeat(100), "name"));
        org.junit.jupiter.api.Assertions.assertEquals("name", e.field());
        TeamName.parse("\uFDFA".repeat(20), "name");
    }
}
