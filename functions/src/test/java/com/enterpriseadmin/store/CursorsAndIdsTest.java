package com.enterpriseadmin.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.enterpriseadmin.error.DomainException.InvalidInput;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CursorsAndIdsTest {
    @Test
    void cursorsRoundTripForTheirOwnPartition() {
        Map<String, AttributeValue> key = Map.of("PK", AttributeValue.fromS("ORG#a"), "SK", AttributeValue.fromS("MEMBER#u=1"));
        String cursor = Cursors.encode(key);
        assertEquals(key, Cursors.decode(cursor, "PK", "ORG#a"));
    }

    @Test
    void cursorsOfAnotherPartitionOrGarbageAreRejected() {
        String cursor = Cursors.encode(Map.of("PK", AttributeValue.fromS("ORG#a"), "SK", AttributeValue.fromS("MEMBER#u")));
        InvalidInput e = assertThrows(InvalidInput.class, () -> Cursors.decode(cursor, "PK", "ORG#b"));
        assertEquals("cursor", e.field());
        assertEquals("invalid-cursor", e.code());
        assertThrows(InvalidInput.class, () -> Cursors.decode("%%%not-base64", "PK", "ORG#a"));
        assertThrows(InvalidInput.class, () -> Cursors.decode("aGVsbG8", "PK", "ORG#a"));
    }

    @Test
    void idsAreUniqueAndWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.newId();
            assertTrue(Ids.isWellFormed(id), id);
            assertTrue(seen.add(id));
        }
        assertNotEquals(Ids.newId(), Ids.newId());
    }

    @Test
    void timestampsSortLexicallyInTimeOrder() {
        assertEquals("2026-11-28T01:02:03.000Z", Ids.at(Instant.parse("2026-11-28T01:02:03Z")));
        assertEquals("2026-11-28T01:02:03.450Z", Ids.at(Instant.parse("2026-11-28T01:02:03.450999Z")));
        assertTrue(Ids.at(Instant.parse("2026-11-28T01:02:03Z")).compareTo(Ids.at(Instant.parse("2026-11-28T01:02:03.001Z"))) < 0);
    }
}
