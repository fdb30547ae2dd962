package com.enterpriseadmin.organization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.enterpriseadmin.auth.MemberStatus;
import com.enterpriseadmin.auth.OrgRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DirectoryTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void searchTextIsTrimmedCompatibilityNormalisedAndLowerCased() {
        assertEquals("ada lovelace", Directory.normalise("  Ada LOVELACE "));
        assertEquals("ada", Directory.normalise("ＡＤＡ"), "full-width letters are the same letters");
        assertEquals("", Directory.normalise(null));
    }

    @Test
    void aMemberHasAnEmailEntryAndANameEntryUnderTheOrganizationsDirectory() {
        Membership m = new Membership("01hzx8k2m4n6p8r0s2t4v6w8y0", "u-1", "Ada@Example.com", "Ada Lovelace", OrgRole.USER, MemberStatus.ACTIVE,
                Map.of(), NOW, NOW, 1);
        List<Map<String, AttributeValue>> entries = OrganizationStore.directoryEntries(m);
        assertEquals(2, entries.size());
        assertEquals("ORG#01hzx8k2m4n6p8r0s2t4v6w8y0#DIRECTORY", entries.get(0).get("PK").s());
        assertEquals("EMAIL#ada@example.com#u-1", entries.get(0).get("SK").s());
        assertEquals("NAME#ada lovelace#u-1", entries.get(1).get("SK").s());
        assertEquals("Ada@Example.com", entries.get(0).get("email").s(), "the entry shows the address as stored");

        Membership nameless = new Membership("01hzx8k2m4n6p8r0s2t4v6w8y0", "u-2", "b@example.com", null, OrgRole.USER, MemberStatus.ACTIVE,
                Map.of(), NOW, NOW, 1);
        assertEquals(1, OrganizationStore.directoryEntries(nameless).size());
    }
}
